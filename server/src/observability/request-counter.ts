import { AsyncLocalStorage } from "node:async_hooks";

export type RemoteSide = "amocrm" | "onec";

export interface RequestCounts {
  amocrm: number;
  onec: number;
}

type RequestListener = (side: RemoteSide, outcome: string) => void;

const storage = new AsyncLocalStorage<RequestCounts>();
const listeners = new Set<RequestListener>();

/**
 * Runs fn with its own request tally, so one sync run can report how many
 * amoCRM and 1C requests it made without threading a counter through
 * every call.
 */
export async function withRequestCounter<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; counts: RequestCounts }> {
  const counts: RequestCounts = { amocrm: 0, onec: 0 };
  const result = await storage.run(counts, fn);
  return { result, counts };
}

/** Called by the HTTP clients once per request sent (retries included). */
export function countRequest(side: RemoteSide, outcome: string): void {
  const counts = storage.getStore();
  if (counts) counts[side] += 1;
  for (const listener of listeners) listener(side, outcome);
}

/** Subscribes to every outbound request (metrics); returns the unsubscribe. */
export function onRequest(listener: RequestListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
