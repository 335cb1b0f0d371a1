import type { DealView } from "../../../shared/deal-view.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { useDealStore } from "../state/store-context.js";
import { useSignalValue } from "../state/use-signal-value.js";
import { ConnectionBanner } from "./ConnectionBanner.js";
import { CounterpartyBlock } from "./CounterpartyBlock.js";
import { ErrorMessage } from "./ErrorMessage.js";
import { LastRun } from "./LastRun.js";
import { OrderBlock } from "./OrderBlock.js";
import { ResyncButton } from "./ResyncButton.js";

/** The deal card panel: what amo1c knows of the deal in 1C, from its store. */
export function DealPanel() {
  const store = useDealStore();
  const { t } = useTranslator();
  const deal = useSignalValue(store.deal);
  const error = useSignalValue(store.error);
  const phase = useSignalValue(store.syncPhase);

  if (store.dealId === 0) {
    return <p class="amo1c-muted">{t("panel.unsaved")}</p>;
  }
  if (deal === null) {
    if (error !== null) return <ErrorMessage error={error} />;
    return <p class="amo1c-muted">{t("common.loading")}</p>;
  }

  return (
    <div class="amo1c-panel">
      <ConnectionBanner connection={deal.connection} />
      {error !== null && <ErrorMessage error={error} />}
      <DealSummary deal={deal} />
      {deal.lastRun !== null && <LastRun lastRun={deal.lastRun} />}
      <ResyncButton
        phase={phase}
        synced={deal.synced}
        retrying={deal.lastRun?.status === "waiting"}
        onResync={() => void store.resync()}
      />
    </div>
  );
}

function DealSummary({ deal }: { deal: DealView }) {
  const { t } = useTranslator();
  if (!deal.synced && deal.counterparty === null) {
    return (
      <div class="amo1c-empty">
        <p>{t("panel.never_synced")}</p>
        <p class="amo1c-muted">{t("panel.never_synced_hint")}</p>
      </div>
    );
  }

  return (
    <>
      {deal.counterparty !== null && (
        <CounterpartyBlock
          counterparty={deal.counterparty}
          contactPerson={deal.contactPerson}
        />
      )}
      <OrderBlock order={deal.order} />
    </>
  );
}
