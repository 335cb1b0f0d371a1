import type { Generated } from "kysely";

/**
 * Every table of amo1c. Times are ISO-8601 UTC strings so that both dialects
 * store and compare them the same way; JSON columns hold serialised text.
 */
export interface Database {
  settings: SettingsTable;
  secrets: SecretsTable;
  amocrm_tokens: AmocrmTokensTable;
  deal_state: DealStateTable;
  entity_links: EntityLinksTable;
  exchange_journal: ExchangeJournalTable;
  jobs: JobsTable;
  onec_pending_creates: OnecPendingCreatesTable;
  used_jtis: UsedJtisTable;
  locks: LocksTable;
}

/** Non-secret settings, one JSON document per key. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

/** Secret values, AES-256-GCM encrypted (see secret-box.ts). */
export interface SecretsTable {
  name: string;
  ciphertext: string;
  updated_at: string;
}

/** The amoCRM credentials of the bound account: one row, id = 1. */
export interface AmocrmTokensTable {
  id: number;
  mode: "oauth" | "long_lived";
  access_token: string | null;
  access_expires_at: string | null;
  refresh_token: string | null;
  refresh_expires_at: string | null;
  /** Connection state: ok, needs_attention (with reason), not_configured. */
  state: string;
  state_message: string | null;
  /** Bumped on every write: lets a process notice someone else refreshed. */
  version: number;
  updated_at: string;
}

export interface DealStateTable {
  deal_id: number;
  deal_name: string | null;
  counterparty_ref: string | null;
  counterparty_name: string | null;
  counterparty_inn: string | null;
  /** company | contact | found */
  counterparty_origin: string | null;
  /** The amoCRM contact the counterparty was made from (origin contact). */
  counterparty_contact_id: number | null;
  partner_ref: string | null;
  contact_person_ref: string | null;
  contact_person_name: string | null;
  order_ref: string | null;
  order_number: string | null;
  order_date: string | null;
  order_sum: number | null;
  /** JSON of the last values written to 1C, to skip unchanged writes. */
  order_snapshot: string | null;
  last_run_at: string | null;
  last_trigger: string | null;
  /** ok | failed | waiting | skipped */
  last_status: string | null;
  last_message: string | null;
  last_error_source: string | null;
  last_error_code: string | null;
  updated_at: string;
}

/**
 * amoCRM entity ↔ 1C object. kind: company_counterparty, contact_counterparty,
 * contact_person (owner_ref = the counterparty or partner it belongs to).
 */
export interface EntityLinksTable {
  kind: string;
  amo_id: number;
  owner_ref: string;
  onec_ref: string;
  partner_ref: string | null;
  name: string | null;
  inn: string | null;
  /** How the 1C object was obtained: company | contact (made) | found. */
  origin: string | null;
  created_at: string;
}

export interface ExchangeJournalTable {
  id: Generated<number>;
  deal_id: number;
  trigger: string;
  started_at: string;
  duration_ms: number;
  outcome: string;
  amocrm_requests: number;
  onec_requests: number;
  /** JSON: what was read and written. */
  details: string;
  error_code: string | null;
  error_message: string | null;
  error_source: string | null;
}

/** The SQLite queue (PostgreSQL uses pg-boss). */
export interface JobsTable {
  id: Generated<number>;
  deal_id: number;
  /** queued | running | done | failed */
  status: string;
  priority: number;
  trigger: string;
  run_at: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_until: string | null;
  /** The request that queued the job, for its run's log lines. */
  req_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Ref_Keys chosen before a create is sent to 1C, for idempotent retries. */
export interface OnecPendingCreatesTable {
  purpose: string;
  ref_key: string;
  entity_set: string;
  created_at: string;
}

export interface UsedJtisTable {
  jti: string;
  expires_at: string;
}

/** Leases for work that must run once cluster-wide (scheduled jobs). */
export interface LocksTable {
  name: string;
  holder: string;
  expires_at: string;
}
