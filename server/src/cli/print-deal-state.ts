import type { DealState } from "../exchange/deal-state-repository.js";
import type { CliIo } from "./cli-io.js";

/** The stored state of a deal, one fact per line. */
export function printDealState(state: DealState, io: CliIo): void {
  io.out(
    `state of deal ${state.deal_id}${state.deal_name ? ` "${state.deal_name}"` : ""}:`,
  );
  io.out(`  counterparty: ${describeCounterparty(state)}`);
  io.out(
    `  contact person: ${named(state.contact_person_name, state.contact_person_ref)}`,
  );
  io.out(`  order: ${describeOrder(state)}`);
  io.out(`  last run: ${describeLastRun(state)}`);
  if (state.last_message) io.out(`  message: ${state.last_message}`);
  if (state.last_error_code)
    io.out(
      `  error: ${state.last_error_code} (from ${state.last_error_source ?? "amo1c"})`,
    );
}

function named(name: string | null, ref: string | null): string {
  if (!ref) return "none";
  return name ? `${name} (${ref})` : ref;
}

function describeCounterparty(state: DealState): string {
  const base = named(state.counterparty_name, state.counterparty_ref);
  if (!state.counterparty_ref) return base;
  const inn = state.counterparty_inn ? `, INN ${state.counterparty_inn}` : "";
  const origin = state.counterparty_origin
    ? `, ${state.counterparty_origin}`
    : "";
  return `${base}${inn}${origin}`;
}

function describeOrder(state: DealState): string {
  if (!state.order_ref) return "none";
  const number = state.order_number ? `№ ${state.order_number}` : "no number";
  const date = state.order_date ? ` of ${state.order_date}` : "";
  const sum = state.order_sum === null ? "" : `, sum ${state.order_sum}`;
  return `${number}${date}${sum} (${state.order_ref})`;
}

function describeLastRun(state: DealState): string {
  if (!state.last_run_at) return "never";
  const trigger = state.last_trigger ? ` by ${state.last_trigger}` : "";
  return `${state.last_status ?? "unknown"} at ${state.last_run_at}${trigger}`;
}
