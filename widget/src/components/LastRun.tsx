import type { DealView } from "../../../shared/deal-view.js";
import { formatInstant } from "../format/format-instant.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface LastRunProps {
  lastRun: NonNullable<DealView["lastRun"]>;
}

/** When the deal was last exchanged, how it went and, if not, why. */
export function LastRun({ lastRun }: LastRunProps) {
  const { t, locale } = useTranslator();
  const at = formatInstant(lastRun.at, { locale, withTime: true });

  return (
    <section class="amo1c-block" aria-label={t("run.title")}>
      <h3 class="amo1c-block__title">{t("run.title")}</h3>
      <div class="amo1c-row">
        <span
          class={`amo1c-status amo1c-status--${lastRun.status}`}
          data-status={lastRun.status}
        >
          {t(`run.status_${lastRun.status}`)}
        </span>
        <span class="amo1c-muted">
          {at} · {t(`run.trigger_${lastRun.trigger}`)}
        </span>
      </div>
      {lastRun.message !== null && (
        <p class={`amo1c-message amo1c-message--${lastRun.status}`}>
          {lastRun.errorSource !== null && (
            <span class="amo1c-label">
              {t(`run.source_${lastRun.errorSource}`)}:{" "}
            </span>
          )}
          {lastRun.message}
        </p>
      )}
    </section>
  );
}
