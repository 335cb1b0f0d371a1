import type { RunStatus, RunTrigger } from "../../../shared/deal-view.js";
import type { AmocrmApi } from "../amocrm/api-types.js";
import { toSyncError, type AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { withRequestCounter } from "../observability/request-counter.js";
import type { OnecGateways } from "../onec/gateway-types.js";
import type { JobHandler, JobOutcome, SyncJob } from "../queue/job-queue.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type {
  DealStatePatch,
  DealStateRepository,
} from "./deal-state-repository.js";
import type { EntityLinksRepository } from "./entity-links-repository.js";
import type { JournalRepository } from "./journal-repository.js";
import type { SyncContext } from "./sync-context.js";
import { syncDeal, type SyncResult } from "./sync-deal.js";

export interface SyncJobHandlerOptions {
  amocrm: AmocrmApi;
  /** Built from the current 1C settings; throws onec_not_configured without them. */
  getOnecGateways: () => Promise<OnecGateways>;
  settings: SettingsStore;
  states: DealStateRepository;
  links: EntityLinksRepository;
  journal: JournalRepository;
  log: Logger;
  /** The queue's attempt limit: the last failed attempt is recorded as failed. */
  maxAttempts: number;
}

/** Turns a queued job into one recorded sync run (state + journal). */
export function createSyncJobHandler(
  options: SyncJobHandlerOptions,
): JobHandler {
  return async (job) => {
    const startedAt = new Date();
    const log = options.log.child({
      dealId: job.dealId,
      jobId: job.id,
      attempt: job.attempt,
    });
    const trail = { reads: [] as string[], writes: [] as string[] };

    const { result, counts } = await withRequestCounter(() =>
      runOnce(options, job, log, trail).then(
        (r) => ({ ok: true as const, value: r }),
        (e: unknown) => ({ ok: false as const, error: toSyncError(e) }),
      ),
    );

    const record = result.ok
      ? recordOfSuccess(result.value)
      : recordOfFailure(result.error, job, options.maxAttempts);
    const trigger = triggerOf(job);
    await options.states.patch(job.dealId, {
      ...record.patch,
      last_run_at: startedAt.toISOString(),
      last_trigger: trigger,
    });
    await options.journal.append({
      dealId: job.dealId,
      trigger,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      outcome: record.status,
      amocrmRequests: counts.amocrm,
      onecRequests: counts.onec,
      details: trail,
      error: result.ok ? null : errorSummary(result.error),
    });

    logOutcome(log, record, counts, startedAt);
    return record.outcome;
  };
}

/**
 * The queue's own backoff retries are journaled as "retry", so a run that
 * waited out an outage is told apart from the webhook that started it.
 */
function triggerOf(job: SyncJob): RunTrigger {
  return job.attempt > 1 ? "retry" : job.trigger;
}

async function runOnce(
  options: SyncJobHandlerOptions,
  job: SyncJob,
  log: Logger,
  trail: SyncContext["trail"],
): Promise<SyncResult> {
  const [onec, exchange, amocrmSettings] = await Promise.all([
    options.getOnecGateways(),
    options.settings.exchange(),
    options.settings.amocrm(),
  ]);
  const ctx: SyncContext = {
    amocrm: options.amocrm,
    onec,
    links: options.links,
    states: options.states,
    settings: exchange,
    accountUrl: amocrmSettings ? `https://${amocrmSettings.host}` : "",
    log,
    trail,
  };
  return syncDeal(ctx, job.dealId);
}

interface RunRecord {
  status: RunStatus;
  outcome: JobOutcome;
  patch: DealStatePatch;
}

function recordOfSuccess(result: SyncResult): RunRecord {
  const skippedRun = result.kind === "skipped";
  // A deal amoCRM does not have is told apart by its code, not its words.
  const notFound = skippedRun && result.notFound;
  return {
    status: skippedRun ? "skipped" : "ok",
    outcome: { kind: "done" },
    patch: {
      ...result.patch,
      last_status: skippedRun ? "skipped" : "ok",
      last_message: skippedRun ? result.reason : null,
      last_error_source: notFound ? "amocrm" : null,
      last_error_code: notFound ? "not_found" : null,
    },
  };
}

/**
 * Transient causes (1C or amoCRM unavailable, 429) are retried and shown as
 * "waiting"; the rest (validation, settings, a 1C business refusal) stop at
 * once. The last allowed attempt is recorded as failed.
 */
function recordOfFailure(
  error: AppError,
  job: SyncJob,
  maxAttempts: number,
): RunRecord {
  const willRetry = error.retryable && job.attempt < maxAttempts;
  const status: RunStatus = willRetry ? "waiting" : "failed";
  const message = describeError(error);
  return {
    status,
    outcome: {
      kind: willRetry ? "retry" : "fail",
      reason: `${error.code}: ${message}`,
    },
    patch: {
      last_status: status,
      last_message: willRetry ? `${message} (amo1c will retry)` : message,
      last_error_source: error.source,
      last_error_code: error.code,
    },
  };
}

function errorSummary(error: AppError): {
  code: string;
  message: string;
  source: string;
} {
  return {
    code: error.code,
    message: describeError(error),
    source: error.source,
  };
}

const SOURCE_NAMES = { onec: "1C", amocrm: "amoCRM", amo1c: "amo1c" };

/**
 * The message with the remote system's own code and text, which the card
 * shows next to ours: 1C's "-1" tells its administrator where to look.
 * What the message already quotes is not repeated.
 */
export function describeError(error: AppError): string {
  const { message, remote } = error;
  const extra: string[] = [];
  if (remote?.message && !message.includes(remote.message))
    extra.push(remote.message);
  if (remote?.code && !message.includes(`code ${remote.code}`))
    extra.push(`code ${remote.code}`);
  if (extra.length === 0) return message;
  return `${message} (${SOURCE_NAMES[error.source]}: ${extra.join(", ")})`;
}

function logOutcome(
  log: Logger,
  record: RunRecord,
  counts: { amocrm: number; onec: number },
  startedAt: Date,
): void {
  const fields = {
    status: record.status,
    amocrmRequests: counts.amocrm,
    onecRequests: counts.onec,
    durationMs: Date.now() - startedAt.getTime(),
    reason: record.outcome.kind === "done" ? undefined : record.outcome.reason,
  };
  if (record.status === "failed") log.error(fields, "deal sync failed");
  else if (record.status === "waiting")
    log.warn(fields, "deal sync will be retried");
  else log.info(fields, "deal synced");
}
