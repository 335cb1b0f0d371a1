import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface LoadRequest {
  method: "GET" | "POST";
  /** Path and query on the load's origin. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface LoadPlan {
  /** "http://127.0.0.1:<port>": loopback only. */
  origin: string;
  ratePerSecond: number;
  /** Sent in order, one every 1000 / ratePerSecond ms. */
  requests: LoadRequest[];
  /** A request unanswered this long counts as status 0. */
  timeoutMs: number;
}

export interface LoadResult {
  /** Per request, from its scheduled send time to the end of its answer. */
  latenciesMs: number[];
  /** Per request; 0 when it failed or timed out without an answer. */
  statuses: number[];
  /** How late the pacer sent its latest request: its own lag, not the server's. */
  maxSendLagMs: number;
  elapsedMs: number;
}

const MAX_SOCKETS = 256;

/**
 * Sends the plan's requests at a fixed rate whatever the answers do (an
 * open loop): a slow answer never delays the next request, so a stalled
 * server shows up in the latencies instead of lowering the load. Latency is
 * counted from the scheduled time, so the pacer's own lag is not hidden.
 */
export async function runOpenLoop(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const intervalMs = 1000 / plan.ratePerSecond;
  const count = plan.requests.length;
  const latenciesMs = new Array<number>(count).fill(Number.NaN);
  const statuses = new Array<number>(count).fill(0);
  const answers: Promise<void>[] = [];
  let maxSendLagMs = 0;

  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const scheduledAt = start + i * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await sleep(wait);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduledAt);

    const answer = send(agent, plan, plan.requests[i] as LoadRequest);
    answers.push(
      answer.then((status) => {
        statuses[i] = status;
        latenciesMs[i] = performance.now() - scheduledAt;
      }),
    );
  }
  await Promise.all(answers);

  agent.destroy();
  return {
    latenciesMs,
    statuses,
    maxSendLagMs,
    elapsedMs: performance.now() - start,
  };
}

/** Resolves with the status once the whole answer is read; 0 on failure. */
function send(
  agent: Agent,
  plan: LoadPlan,
  load: LoadRequest,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      new URL(load.path, plan.origin),
      {
        method: load.method,
        headers: load.headers,
        agent,
        timeout: plan.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end(load.body);
  });
}
