import { randomUUID } from "node:crypto";

import type { Amo1c } from "../app/create-amo1c.js";
import {
  createDealStateRepository,
  type DealState,
} from "../exchange/deal-state-repository.js";
import { createJournalRepository } from "../exchange/journal-repository.js";
import type { Logger } from "../log.js";
import type { CliIo, ExitCode } from "./cli-io.js";
import { holdDealRun } from "./hold-deal-run.js";
import { printDealState } from "./print-deal-state.js";

export interface SyncDealNowOptions {
  log: Logger;
  /** PostgreSQL: how long to wait for a run of the deal elsewhere. */
  lockWaitMs?: number | undefined;
  lockPollMs?: number | undefined;
}

/**
 * `amo1c sync <dealId>`: one sync run in this process, outside the queue
 * but under its one-run-per-deal rule, then what it read and wrote and
 * the deal's stored state.
 */
export async function syncDealNow(
  amo1c: Pick<Amo1c, "handleJob" | "database">,
  dealId: number,
  io: CliIo,
  options: SyncDealNowOptions,
): Promise<ExitCode> {
  const hold = await holdDealRun({
    database: amo1c.database,
    dealId,
    io,
    log: options.log,
    waitMs: options.lockWaitMs,
    pollMs: options.lockPollMs,
  });
  if (!hold) return 1;
  try {
    const outcome = await amo1c.handleJob({
      id: `cli-${randomUUID()}`,
      dealId,
      trigger: "manual",
      attempt: 1,
    });
    const state = await printRun(amo1c, dealId, io);
    // A deal amoCRM does not have is a wrong argument, not a sync (the
    // widget API answers 404 for it): the exit code says so to scripts.
    const notInAmocrm = state?.last_error_code === "not_found";
    return outcome.kind === "done" && !notInAmocrm ? 0 : 1;
  } finally {
    await hold.release();
  }
}

async function printRun(
  amo1c: Pick<Amo1c, "database">,
  dealId: number,
  io: CliIo,
): Promise<DealState | null> {
  const [run] = await createJournalRepository(amo1c.database.db).listForDeal(
    dealId,
    1,
  );
  if (run) {
    io.out(
      `deal ${dealId}: ${run.outcome} in ${run.durationMs} ms (${run.amocrmRequests} amoCRM requests, ${run.onecRequests} 1C requests)`,
    );
    printList("read", run.details.reads, io);
    printList("wrote", run.details.writes, io);
    if (run.error)
      io.out(
        `error (${run.error.source}): ${run.error.code}: ${run.error.message}`,
      );
  }

  const state = await createDealStateRepository(amo1c.database.db).get(dealId);
  if (state) printDealState(state, io);
  return state;
}

function printList(label: string, items: string[], io: CliIo): void {
  if (items.length === 0) {
    io.out(`${label}: nothing`);
    return;
  }
  io.out(`${label}:`);
  for (const item of items) io.out(`  ${item}`);
}
