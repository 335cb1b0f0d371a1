/** Where a command writes: stdout for results, stderr for problems. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit status of a command: 0 success, 1 failure. */
export type ExitCode = 0 | 1;

export const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};
