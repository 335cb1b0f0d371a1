import type { CliIo } from "../../src/cli/cli-io.js";

export interface CapturedIo extends CliIo {
  lines: string[];
  errors: string[];
  /** Everything written to stdout, one string. */
  text(): string;
}

/** A CliIo that keeps what a command prints. */
export function captureIo(): CapturedIo {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (line) => void lines.push(line),
    err: (line) => void errors.push(line),
    text: () => lines.join("\n"),
  };
}
