import { randomUUID } from "node:crypto";

import type { AmocrmConnection } from "../amocrm/index.js";
import type { DatabaseHandle } from "../db/create-database.js";
import type { Logger } from "../log.js";
import {
  createScheduler,
  type Scheduler,
} from "../scheduler/create-scheduler.js";

/** Reconciliation period (webhooks can be lost; reference amocrm §4.4). */
export const RECONCILE_EVERY_MS = 10 * 60_000;
/** Idle OAuth pairs are renewed well inside the 3-month refresh-token life. */
export const TOKEN_REFRESH_EVERY_MS = 6 * 60 * 60_000;
/** One expiry warning a day is enough to be seen, not enough to be noise. */
export const EXPIRY_WARNING_EVERY_MS = 24 * 60 * 60_000;

export interface SchedulerParts {
  database: DatabaseHandle;
  log: Logger;
  amocrm: AmocrmConnection;
  reconcile: () => Promise<number>;
  reconcileEveryMs?: number | undefined;
  tokenRefreshEveryMs?: number | undefined;
  expiryWarningEveryMs?: number | undefined;
}

/** The periodic tasks of amo1c, each run once per period cluster-wide. */
export function buildScheduler(parts: SchedulerParts): Scheduler {
  return createScheduler({
    db: parts.database.db,
    log: parts.log.child({ name: "scheduler" }),
    holder: randomUUID(),
    tasks: [
      {
        name: "reconcile-deals",
        everyMs: parts.reconcileEveryMs ?? RECONCILE_EVERY_MS,
        run: async () => void (await parts.reconcile()),
      },
      {
        name: "refresh-amocrm-tokens",
        everyMs: parts.tokenRefreshEveryMs ?? TOKEN_REFRESH_EVERY_MS,
        run: async () => void (await parts.amocrm.refreshIfAgeing()),
      },
      {
        name: "warn-amocrm-token-expiry",
        everyMs: parts.expiryWarningEveryMs ?? EXPIRY_WARNING_EVERY_MS,
        run: async () => void (await parts.amocrm.warnIfTokenExpiring()),
      },
    ],
  });
}
