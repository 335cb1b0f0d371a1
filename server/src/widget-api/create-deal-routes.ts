import { Router, type Request } from "express";

import type { SyncResponse } from "../../../shared/deal-view.js";
import type { ConnectionView } from "../../../shared/settings.js";
import { AppError } from "../errors.js";
import type { DealStateRepository } from "../exchange/deal-state-repository.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { buildDealView } from "./build-deal-view.js";

/** How long a manual re-sync waits for its run before answering "queued". */
export const SYNC_WAIT_MS = 20_000;
const SYNC_POLL_MS = 200;

export interface DealRoutesOptions {
  states: DealStateRepository;
  queue: JobQueue;
  settings: SettingsStore;
  connection: () => Promise<ConnectionView>;
  syncWaitMs?: number | undefined;
}

export function createDealRoutes(options: DealRoutesOptions): Router {
  const router = Router();

  async function view(dealId: number) {
    const [state, pending, connection, onec] = await Promise.all([
      options.states.get(dealId),
      options.queue.isPending(dealId),
      options.connection(),
      options.settings.onec(),
    ]);
    return buildDealView({ dealId, state, pending, connection, onec });
  }

  router.get("/api/v1/deals/:id", async (req, res) => {
    res.json(await view(dealIdOf(req)));
  });

  router.post("/api/v1/deals/:id/sync", async (req, res) => {
    const dealId = dealIdOf(req);
    const requestedAt = new Date().toISOString();
    await options.queue.enqueue(dealId, { trigger: "manual", priority: true });

    const done = await waitForRun(
      options.states,
      dealId,
      requestedAt,
      options.syncWaitMs,
    );
    if (done) await refuseIfNotInAmocrm(options.states, dealId);
    const body: SyncResponse = {
      outcome: done ? "done" : "queued",
      deal: await view(dealId),
    };
    res.json(body);
  });

  return router;
}

/** A run that found no such deal in amoCRM is not a sync: answer 404. */
async function refuseIfNotInAmocrm(
  states: DealStateRepository,
  dealId: number,
): Promise<void> {
  const state = await states.get(dealId);
  if (state?.last_error_code !== "not_found") return;
  throw new AppError(
    "not_found",
    `amoCRM has no deal ${dealId} (deleted or never created): check the deal id; nothing was written to 1C`,
    { status: 404, source: "amocrm" },
  );
}

/** Polls the stored state (any instance may run the job) until a run starts after `since`. */
async function waitForRun(
  states: DealStateRepository,
  dealId: number,
  since: string,
  waitMs = SYNC_WAIT_MS,
): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const state = await states.get(dealId);
    if (state?.last_run_at && state.last_run_at >= since) return true;
    await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
  }
  return false;
}

function dealIdOf(req: Request): number {
  const id = Number(req.params["id"]);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new AppError(
      "bad_request",
      "The deal id must be a positive whole number",
      {
        status: 400,
      },
    );
  }
  return id;
}
