import type { SyncPhase } from "../state/create-deal-store.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface ResyncButtonProps {
  phase: SyncPhase;
  /** The deal was exchanged before: the button says "again". */
  synced: boolean;
  /**
   * The last run failed and amo1c waits to retry it: the user may send the
   * deal now (1C may be back), which runs ahead of the queued retry.
   */
  retrying: boolean;
  onResync(): void;
}

/** Sends the deal to 1C now and shows progress until the run ends. */
export function ResyncButton(props: ResyncButtonProps) {
  const { phase, synced, onResync } = props;
  const { t } = useTranslator();
  const busy = phase === "sending" || (phase === "waiting" && !props.retrying);
  const idleLabel = synced ? t("sync.again") : t("sync.button");

  return (
    <div class="amo1c-actions">
      <button
        type="button"
        class="amo1c-button amo1c-button--primary"
        disabled={busy}
        aria-busy={busy}
        onClick={onResync}
      >
        {busy && <span class="amo1c-spinner" aria-hidden="true" />}
        {busy ? t("sync.sending") : idleLabel}
      </button>
      {phase === "waiting" && (
        <p class="amo1c-muted" role="status">
          {t("sync.waiting")}
        </p>
      )}
    </div>
  );
}
