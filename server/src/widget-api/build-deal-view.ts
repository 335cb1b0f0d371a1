import type {
  CounterpartyOrigin,
  DealView,
  RunStatus,
  RunTrigger,
} from "../../../shared/deal-view.js";
import type { ConnectionView, OnecSettings } from "../../../shared/settings.js";
import type { DealState } from "../exchange/deal-state-repository.js";
import { buildOnecOpenUrl } from "./build-onec-open-url.js";

export interface BuildDealViewOptions {
  dealId: number;
  state: DealState | null;
  pending: boolean;
  connection: ConnectionView;
  onec: OnecSettings | null;
}

/** The deal card's view, from amo1c's own store only (no remote calls). */
export function buildDealView(options: BuildDealViewOptions): DealView {
  const { dealId, state, pending, connection } = options;
  return {
    dealId,
    // A run that found no deal in amoCRM synced nothing.
    synced: state?.last_run_at != null && state.last_error_code !== "not_found",
    counterparty: counterpartyOf(state, options.onec),
    contactPerson:
      state?.contact_person_ref && state.contact_person_name
        ? { ref: state.contact_person_ref, name: state.contact_person_name }
        : null,
    order: orderOf(state, options.onec),
    lastRun: lastRunOf(state),
    pending,
    connection,
  };
}

function openUrl(
  onec: OnecSettings | null,
  object: "order" | "counterparty",
  ref: string,
) {
  if (!onec) return null;
  return buildOnecOpenUrl({
    webClientUrl: onec.webClientUrl,
    profile: onec.profile,
    object,
    ref,
  });
}

function counterpartyOf(
  state: DealState | null,
  onec: OnecSettings | null,
): DealView["counterparty"] {
  if (!state?.counterparty_ref) return null;
  return {
    ref: state.counterparty_ref,
    name: state.counterparty_name ?? "",
    inn: state.counterparty_inn,
    origin: (state.counterparty_origin ?? "found") as CounterpartyOrigin,
    openUrl: openUrl(onec, "counterparty", state.counterparty_ref),
  };
}

function orderOf(
  state: DealState | null,
  onec: OnecSettings | null,
): DealView["order"] {
  if (!state?.order_ref) return null;
  return {
    ref: state.order_ref,
    number: state.order_number ?? "",
    date: state.order_date ?? "",
    sum: state.order_sum ?? 0,
    openUrl: openUrl(onec, "order", state.order_ref),
  };
}

function lastRunOf(state: DealState | null): DealView["lastRun"] {
  if (!state?.last_run_at) return null;
  return {
    at: state.last_run_at,
    trigger: (state.last_trigger ?? "webhook") as RunTrigger,
    status: (state.last_status ?? "waiting") as RunStatus,
    message: state.last_message,
    errorSource: state.last_error_source as "amocrm" | "onec" | "amo1c" | null,
    errorCode: state.last_error_code,
  };
}
