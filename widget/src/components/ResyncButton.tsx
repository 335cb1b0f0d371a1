import type { SyncPhase } from "../state/create-deal-store.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface ResyncButtonProps {
  phase: SyncPhase;
  /** The deal was exchanged before: the button says "again". */
  synced: boolean;
  onResync(): void;
}

/** Sends the deal to 1C now and shows progress until the run ends. */
export function ResyncButton({ phase, synced, onResync }: ResyncButtonProps) {
  const { t } = useTranslator();
  const busy = phase !== "idle";
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
        {phase === "idle" ? idleLabel : t("sync.sending")}
      </button>
      {phase === "waiting" && (
        <p class="amo1c-muted" role="status">
          {t("sync.waiting")}
        </p>
      )}
    </div>
  );
}
