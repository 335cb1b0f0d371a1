import type { Stand } from "../stand/start-stand.js";
import {
  round2,
  roundSummary,
  summarize,
  type Summary,
} from "./percentiles.js";
import { runLoadInWorker } from "./run-load-in-worker.js";
import type { LoadRequest } from "./run-open-loop.js";

export interface WidgetReadOptions {
  /** Synced deals to read, in turn. */
  dealIds: number[];
  ratePerSecond: number;
  durationSeconds: number;
  log: (line: string) => void;
}

export type WidgetReadResult = Summary & {
  sent: number;
  non_200: number;
  rate_per_s: number;
  max_send_lag_ms: number;
};

const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The deal card's read, GET /api/v1/deals/:id, at a steady rate. Every call
 * carries a one-time token signed beforehand, so signing is not timed; amo1c
 * verifies it and records its id, as for the real widget.
 */
export async function measureWidgetRead(
  stand: Stand,
  options: WidgetReadOptions,
): Promise<WidgetReadResult> {
  const count = options.ratePerSecond * options.durationSeconds;
  const sign = tokenSigner(stand);
  const requests: LoadRequest[] = Array.from({ length: count }, (_, i) => ({
    method: "GET",
    path: `/api/v1/deals/${options.dealIds[i % options.dealIds.length]}`,
    headers: { "x-auth-token": sign() },
  }));
  options.log(
    `reading deal cards at ${options.ratePerSecond}/s for ${options.durationSeconds} s`,
  );

  const load = await runLoadInWorker({
    origin: stand.url,
    ratePerSecond: options.ratePerSecond,
    requests,
    timeoutMs: ANSWER_TIMEOUT_MS,
  });
  const answered = load.latenciesMs.filter((ms) => !Number.isNaN(ms));
  return {
    ...roundSummary(summarize(answered)),
    sent: count,
    non_200: load.statuses.filter((s) => s !== 200).length,
    rate_per_s: round2(count / (load.elapsedMs / 1000)),
    max_send_lag_ms: round2(load.maxSendLagMs),
  };
}

/**
 * Signs as `stand.widgetToken()` does, with the admin looked up once: the
 * stand looks them up in a copy of the whole emulator state per token.
 */
function tokenSigner(stand: Stand): () => string {
  const admin = stand.amocrm.state().seed.users.find((u) => u.is_admin);
  return () =>
    stand.amocrm.signDisposableToken({ userId: admin?.id ?? 0, isAdmin: true });
}
