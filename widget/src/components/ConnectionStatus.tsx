import type { ConnectionView } from "../../../shared/settings.js";
import { formatInstant } from "../format/format-instant.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface ConnectionStatusProps {
  connection: ConnectionView;
}

/** The connection state line at the top of the settings page. */
export function ConnectionStatus({ connection }: ConnectionStatusProps) {
  const { t, locale } = useTranslator();
  const tone = connection.state === "ok" ? "ok" : "failed";
  const expiresAt = connection.expiresAt;

  return (
    <div class="amo1c-row amo1c-connection" role="status">
      <span class="amo1c-label">{t("setup.connection_state")}</span>
      <span class={`amo1c-status amo1c-status--${tone}`}>
        {t(`setup.state_${connection.state}`)}
      </span>
      {expiresAt !== null && (
        <span class="amo1c-muted">
          {t("setup.expires_at", {
            date: formatInstant(expiresAt, { locale, withTime: true }),
          })}
        </span>
      )}
      {connection.message !== null && (
        <span class="amo1c-message">{connection.message}</span>
      )}
    </div>
  );
}
