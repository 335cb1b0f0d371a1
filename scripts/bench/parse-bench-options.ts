import { Command, InvalidArgumentError } from "commander";

import type { SqliteSynchronous } from "./bench-stand.js";

/** Groups of phases `--only` can pick. */
export const BENCH_GROUPS = [
  "bundle",
  "ack",
  "requests",
  "sync",
  "reads",
  "rss",
  "latency",
] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];

export interface BenchOptions {
  quick: boolean;
  deals?: number | undefined;
  concurrency?: number | undefined;
  out: string;
  sqliteSync?: SqliteSynchronous | undefined;
  only?: BenchGroup[] | undefined;
  aloneNodeFlags?: string | undefined;
}

/** The command line of `npm run bench`; exits with the usage on a bad option. */
export function parseBenchOptions(): BenchOptions {
  return new Command("bench")
    .description(
      "Measures amo1c against the emulators with realistic latency and writes bench-results.json",
    )
    .option("--quick", "small sizes: a smoke run in about a minute", false)
    .option("--deals <n>", "deals in the sync burst", positiveInteger)
    .option("--concurrency <n>", "queue workers for the burst", positiveInteger)
    .option("--out <file>", "where to write the results", "bench-results.json")
    .option(
      "--only <groups>",
      `run only these phase groups, comma-separated: ${BENCH_GROUPS.join(", ")}`,
      groupList,
    )
    .option(
      "--alone-node-flags <flags>",
      'node flags for the standalone amo1c processes, e.g. "--max-semi-space-size=2"',
    )
    .option(
      "--sqlite-sync <mode>",
      "diagnostic: force SQLite's synchronous mode (FULL or NORMAL) on the in-process stands",
      sqliteMode,
    )
    .parse()
    .opts<BenchOptions>();
}

function groupList(value: string): BenchGroup[] {
  const names = value.split(",").map((name) => name.trim());
  const unknown = names.filter(
    (n) => !(BENCH_GROUPS as readonly string[]).includes(n),
  );
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown groups: ${unknown.join(", ")}`);
  return names as BenchGroup[];
}

function sqliteMode(value: string): SqliteSynchronous {
  const mode = value.toUpperCase();
  if (mode === "FULL" || mode === "NORMAL") return mode;
  throw new InvalidArgumentError("expected FULL or NORMAL");
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError("expected a positive whole number");
  return n;
}
