import { createLogger, type Logger } from "../../../src/log.js";

export interface CapturedLog {
  log: Logger;
  /** Every line written so far, raw JSON text. */
  lines: string[];
}

/** A trace-level logger whose lines land in memory, for asserting. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const log = createLogger({
    level: "trace",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { log, lines };
}
