import { Writable } from "node:stream";

import { createLogger, type Logger } from "../../src/log.js";

export interface CapturedLog {
  log: Logger;
  /** Every line written so far, parsed. */
  lines: Record<string, unknown>[];
  /** Every line as raw text, for "never appears" assertions. */
  text(): string;
}

/** A pino logger whose lines land in memory for assertions. */
export function captureLog(level = "debug"): CapturedLog {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, destination: stream });
  return {
    log,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join("\n"),
  };
}
