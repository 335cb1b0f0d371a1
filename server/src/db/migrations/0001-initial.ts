import { PostgresAdapter, type Kysely } from "kysely";

// Column types chosen to mean the same on SQLite and PostgreSQL: text times,
// bigint ids (amoCRM ids are 64-bit on the wire), double for money.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("ciphertext", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("amocrm_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("access_token", "text")
    .addColumn("access_expires_at", "text")
    .addColumn("refresh_token", "text")
    .addColumn("refresh_expires_at", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("state_message", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("deal_state")
    .addColumn("deal_id", "bigint", (c) => c.primaryKey())
    .addColumn("deal_name", "text")
    .addColumn("counterparty_ref", "text")
    .addColumn("counterparty_name", "text")
    .addColumn("counterparty_inn", "text")
    .addColumn("counterparty_origin", "text")
    .addColumn("counterparty_contact_id", "bigint")
    .addColumn("partner_ref", "text")
    .addColumn("contact_person_ref", "text")
    .addColumn("contact_person_name", "text")
    .addColumn("order_ref", "text")
    .addColumn("order_number", "text")
    .addColumn("order_date", "text")
    .addColumn("order_sum", "double precision")
    .addColumn("order_snapshot", "text")
    .addColumn("last_run_at", "text")
    .addColumn("last_trigger", "text")
    .addColumn("last_status", "text")
    .addColumn("last_message", "text")
    .addColumn("last_error_source", "text")
    .addColumn("last_error_code", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("entity_links")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("amo_id", "bigint", (c) => c.notNull())
    .addColumn("owner_ref", "text", (c) => c.notNull())
    .addColumn("onec_ref", "text", (c) => c.notNull())
    .addColumn("partner_ref", "text")
    .addColumn("name", "text")
    .addColumn("inn", "text")
    .addColumn("origin", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("entity_links_pk", ["kind", "amo_id", "owner_ref"])
    .execute();

  await db.schema
    .createTable("exchange_journal")
    .addColumn("id", serialType(db), (c) => autoId(db, c))
    .addColumn("deal_id", "bigint", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("amocrm_requests", "integer", (c) => c.notNull())
    .addColumn("onec_requests", "integer", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("error_source", "text")
    .execute();
  await db.schema
    .createIndex("exchange_journal_deal")
    .on("exchange_journal")
    .columns(["deal_id", "id"])
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", serialType(db), (c) => autoId(db, c))
    .addColumn("deal_id", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("jobs_due")
    .on("jobs")
    .columns(["status", "run_at"])
    .execute();
  await db.schema
    .createIndex("jobs_deal")
    .on("jobs")
    .columns(["deal_id", "status"])
    .execute();

  await db.schema
    .createTable("onec_pending_creates")
    .addColumn("purpose", "text", (c) => c.primaryKey())
    .addColumn("ref_key", "text", (c) => c.notNull())
    .addColumn("entity_set", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("used_jtis")
    .addColumn("jti", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("locks")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

// SQLite has no identity columns; PostgreSQL has no AUTOINCREMENT keyword.
function serialType(db: Kysely<unknown>): "serial" | "integer" {
  return isPostgres(db) ? "serial" : "integer";
}

function autoId<T extends { primaryKey(): T; autoIncrement(): T }>(
  db: Kysely<unknown>,
  column: T,
): T {
  return isPostgres(db)
    ? column.primaryKey()
    : column.primaryKey().autoIncrement();
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
