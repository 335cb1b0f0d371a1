import { describeStartFailure } from "../../server/src/describe-start-failure.js";

/** The demo's ports by the variable that sets each. */
export type DemoPorts = Record<string, number>;

/**
 * The start failure in one line; a taken port is named by the variable that
 * sets it (the demo has three), not always by PORT.
 */
export function describeDemoFailure(error: unknown, ports: DemoPorts): string {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code === "EADDRINUSE") {
    const variable = Object.entries(ports).find(([, p]) => p === port)?.[0];
    if (variable !== undefined)
      return `port ${String(port)} is taken: set ${variable} to a free one (0 picks any)`;
  }
  return describeStartFailure(error);
}
