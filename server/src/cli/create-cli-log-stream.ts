import { writeSync } from "node:fs";

import type { DestinationStream } from "pino";

/** A pino line, as far as the terminal needs it. */
interface LogRecord {
  msg?: unknown;
  retriesLeft?: unknown;
  err?: { message?: unknown } | undefined;
}

/** Writes one line to stderr at once: a command may exit right after. */
export function writeToStderr(line: string): void {
  writeSync(2, `${line}\n`);
}

/**
 * The terminal's view of the log at the default level: one short line per
 * warning, without the JSON and the stack. Retry warnings of the HTTP
 * clients stay out: the command prints the final failure itself, and -v
 * shows every attempt.
 */
export function createCliLogStream(
  write: (line: string) => void = writeToStderr,
): DestinationStream {
  return {
    write(chunk: string) {
      for (const text of chunk.split("\n")) {
        const line = text.trim() === "" ? null : toShortLine(text);
        if (line !== null) write(line);
      }
    },
  };
}

function toShortLine(text: string): string | null {
  let record: LogRecord;
  try {
    record = JSON.parse(text) as LogRecord;
  } catch {
    return text;
  }
  if (record.retriesLeft !== undefined) return null;
  const reason = record.err?.message;
  const detail = typeof reason === "string" ? `: ${reason}` : "";
  return `amo1c: warning: ${String(record.msg ?? "")}${detail}`;
}
