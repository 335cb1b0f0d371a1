import { SqliteAdapter, SqliteDialect, type DialectAdapter } from "kysely";

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it does
 * not, so its Migrator would apply a migration statement by statement and
 * leave half a schema behind when one fails. This adapter tells the truth.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
