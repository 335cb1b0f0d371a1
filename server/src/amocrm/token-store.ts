import type { Kysely, Updateable } from "kysely";

import { ERROR_CODES, type ErrorCode } from "../../../shared/error-codes.js";
import type { AmocrmTokensTable, Database } from "../db/schema.js";
import type { SecretBox } from "../storage/secret-box.js";

const ROW_ID = 1;
const ACCESS_CONTEXT = "amocrm.access_token";
const REFRESH_CONTEXT = "amocrm.refresh_token";

export type TokenMode = "oauth" | "long_lived";

/** The stored part of the connection state; "expiring"/"expired" are derived. */
export type StoredState = "ok" | "needs_attention" | "not_configured";

/** Why the connection needs attention, as the error that caused it. */
export interface ConnectionProblem {
  code: ErrorCode;
  message: string;
  /** Which token was refused (fingerprintToken), when one was. */
  tokenFingerprint?: string | undefined;
}

/** The amoCRM credentials row, decrypted. */
export interface TokenRecord {
  mode: TokenMode;
  accessToken: string | null;
  accessExpiresAt: Date | null;
  refreshToken: string | null;
  refreshExpiresAt: Date | null;
  state: StoredState;
  problem: ConnectionProblem | null;
  /** Bumped on every write: tells a process someone else refreshed. */
  version: number;
}

export interface TokenPair {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export interface TokenStore {
  read(): Promise<TokenRecord>;
  /** Stores a new OAuth pair and marks the connection ok. */
  savePair(pair: TokenPair): Promise<TokenRecord>;
  clearAccessToken(): Promise<void>;
  clearRefreshToken(): Promise<void>;
  clearPair(): Promise<void>;
  setState(
    state: StoredState,
    problem: ConnectionProblem | null,
    mode?: TokenMode | undefined,
  ): Promise<void>;
  /**
   * Runs fn holding the credentials row lock. On PostgreSQL this is
   * SELECT … FOR UPDATE inside a transaction, so processes sharing the
   * database take turns; fn gets a store bound to that transaction and must
   * re-read under the lock. SQLite runs one amo1c process, so there fn runs
   * directly and the in-process single-flight is the whole guard.
   */
  withLock<T>(fn: (locked: TokenStore) => Promise<T>): Promise<T>;
}

export interface CreateTokenStoreOptions {
  db: Kysely<Database>;
  kind: "sqlite" | "postgres";
  box: SecretBox;
  now?: (() => Date) | undefined;
}

/** Kysely over amocrm_tokens (one row, id 1), tokens sealed at rest. */
export function createTokenStore(options: CreateTokenStoreOptions): TokenStore {
  const now = options.now ?? (() => new Date());
  return bindStore(options.db, { ...options, now }, false);
}

type StoreContext = CreateTokenStoreOptions & { now: () => Date };

function bindStore(
  db: Kysely<Database>,
  context: StoreContext,
  locked: boolean,
): TokenStore {
  const { box } = context;

  async function update(patch: Updateable<AmocrmTokensTable>): Promise<void> {
    await ensureRow(db, context.now());
    await db
      .updateTable("amocrm_tokens")
      .set((eb) => ({
        ...patch,
        version: eb("version", "+", 1),
        updated_at: context.now().toISOString(),
      }))
      .where("id", "=", ROW_ID)
      .execute();
  }

  const store: TokenStore = {
    async read() {
      const row = await db
        .selectFrom("amocrm_tokens")
        .selectAll()
        .where("id", "=", ROW_ID)
        .executeTakeFirst();
      return row ? toRecord(row, box) : emptyRecord();
    },

    async savePair(pair) {
      await update({
        mode: "oauth",
        access_token: box.seal(pair.accessToken, ACCESS_CONTEXT),
        access_expires_at: pair.accessExpiresAt.toISOString(),
        refresh_token: box.seal(pair.refreshToken, REFRESH_CONTEXT),
        refresh_expires_at: pair.refreshExpiresAt.toISOString(),
        state: "ok",
        state_message: null,
      });
      return store.read();
    },

    clearAccessToken: () =>
      update({ access_token: null, access_expires_at: null }),

    clearRefreshToken: () =>
      update({ refresh_token: null, refresh_expires_at: null }),

    clearPair: () =>
      update({
        access_token: null,
        access_expires_at: null,
        refresh_token: null,
        refresh_expires_at: null,
      }),

    setState: (state, problem, mode) =>
      update({
        state,
        state_message: problem ? JSON.stringify(problem) : null,
        ...(mode === undefined ? {} : { mode }),
      }),

    async withLock(fn) {
      // SQLite serves one amo1c process (its queue has one worker process
      // per file), so the in-process single flight is the whole lock there.
      if (locked || context.kind === "sqlite") return fn(store);

      await ensureRow(db, context.now());
      return db.transaction().execute(async (trx) => {
        await trx
          .selectFrom("amocrm_tokens")
          .select("id")
          .where("id", "=", ROW_ID)
          .forUpdate()
          .execute();
        return fn(bindStore(trx, context, true));
      });
    },
  };
  return store;
}

/** FOR UPDATE locks nothing when the row is missing, so create it first. */
async function ensureRow(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .insertInto("amocrm_tokens")
    .values({
      id: ROW_ID,
      mode: "oauth",
      state: "not_configured",
      version: 0,
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

function toRecord(row: AmocrmTokensTable, box: SecretBox): TokenRecord {
  return {
    mode: row.mode === "long_lived" ? "long_lived" : "oauth",
    accessToken: row.access_token && box.open(row.access_token, ACCESS_CONTEXT),
    accessExpiresAt: toDate(row.access_expires_at),
    refreshToken:
      row.refresh_token && box.open(row.refresh_token, REFRESH_CONTEXT),
    refreshExpiresAt: toDate(row.refresh_expires_at),
    state: toState(row.state),
    problem: toProblem(row.state_message),
    version: Number(row.version),
  };
}

function emptyRecord(): TokenRecord {
  return {
    mode: "oauth",
    accessToken: null,
    accessExpiresAt: null,
    refreshToken: null,
    refreshExpiresAt: null,
    state: "not_configured",
    problem: null,
    version: 0,
  };
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function toState(value: string): StoredState {
  return value === "ok" || value === "needs_attention"
    ? value
    : "not_configured";
}

/** state_message holds the problem as JSON: its error code and text. */
function toProblem(value: string | null): ConnectionProblem | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const { code, message, tokenFingerprint } = parsed;
    if (isErrorCode(code) && typeof message === "string") {
      return typeof tokenFingerprint === "string"
        ? { code, message, tokenFingerprint }
        : { code, message };
    }
  } catch {
    // Older or hand-written rows keep plain text.
  }
  return { code: "amocrm_unauthorized", message: value };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}
