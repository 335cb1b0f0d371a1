import type { ConnectionView } from "./settings.js";

export type CounterpartyOrigin = "company" | "contact" | "found";
export type RunStatus = "ok" | "failed" | "waiting" | "skipped";
export type RunTrigger = "webhook" | "manual" | "retry" | "reconcile";

/** GET /api/v1/deals/:id — what the deal card panel shows, from amo1c's store. */
export interface DealView {
  dealId: number;
  /** false until the deal has been synced at least once. */
  synced: boolean;
  counterparty: {
    ref: string;
    name: string;
    inn: string | null;
    origin: CounterpartyOrigin;
    /** Link to the object in the 1C web client, when its URL is configured. */
    openUrl: string | null;
  } | null;
  contactPerson: { ref: string; name: string } | null;
  order: {
    ref: string;
    number: string;
    /** Naive date-time of the 1C server, "YYYY-MM-DDTHH:mm:ss". */
    date: string;
    sum: number;
    openUrl: string | null;
  } | null;
  lastRun: {
    at: string;
    trigger: RunTrigger;
    status: RunStatus;
    /** Plain-words explanation, with the source system's own message. */
    message: string | null;
    errorSource: "amocrm" | "onec" | "amo1c" | null;
    errorCode: string | null;
  } | null;
  /** A run is queued or running for this deal. */
  pending: boolean;
  connection: ConnectionView;
}

/** POST /api/v1/deals/:id/sync — waits up to ~20 s for the run. */
export interface SyncResponse {
  /** done: the run finished (ok or failed); queued: still waiting, poll GET. */
  outcome: "done" | "queued";
  deal: DealView;
}
