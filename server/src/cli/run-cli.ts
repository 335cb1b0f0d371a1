import { Command, CommanderError, InvalidArgumentError } from "commander";
import { z } from "zod";

import { loadConfig, type Config } from "../config/load-config.js";
import { isAppError } from "../errors.js";
import { applyMigrations } from "./apply-migrations.js";
import { checkSettings } from "./check-settings.js";
import { consoleIo, type CliIo, type ExitCode } from "./cli-io.js";
import { listJobs } from "./list-jobs.js";
import { createCliLogger, withAmo1c } from "./open-amo1c.js";
import { reconcileNow } from "./reconcile-now.js";
import { NEW_KEY_VARIABLE, readNewKey } from "./read-new-key.js";
import { rotateSecretKey } from "./rotate-secret-key.js";
import { showDealStatus } from "./show-deal-status.js";
import { syncDealNow } from "./sync-deal-now.js";

export interface RunCliOptions {
  /** The environment after .env was read; default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  io?: CliIo | undefined;
  /** Where rotate-key --new-key-stdin reads; default process.stdin. */
  stdin?: NodeJS.ReadableStream | undefined;
}

interface CommandContext {
  config: Config;
  verbose: boolean;
}

type Task = (context: CommandContext) => Promise<ExitCode>;

/** Parses the arguments, runs one command and returns its exit status. */
export async function runCli(
  args: string[],
  options: RunCliOptions = {},
): Promise<number> {
  const io = options.io ?? consoleIo;
  const env = options.env ?? process.env;
  let exitCode = 0;

  const inputs = { env, stdin: options.stdin ?? process.stdin };
  const program = createProgram(io, inputs, async (task) => {
    const config = readConfig(env, io);
    const verbose = Boolean(program.opts()["verbose"]);
    exitCode = config ? await task({ config, verbose }) : 1;
  });

  try {
    await program.parseAsync(args, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`amo1c: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** What rotate-key may read its new key from besides its arguments. */
interface CliInputs {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

function createProgram(
  io: CliIo,
  inputs: CliInputs,
  run: (task: Task) => Promise<void>,
): Command {
  const program = new Command("amo1c")
    .description(
      "Administer amo1c. Reads .env like the server; starts neither the HTTP server nor the queue workers.",
    )
    .option("-v, --verbose", "log at LOG_LEVEL to stderr (default: warnings)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });

  addExchangeCommands(program, io, run);
  addMaintenanceCommands(program, io, inputs, run);
  return program;
}

function addExchangeCommands(
  program: Command,
  io: CliIo,
  run: (task: Task) => Promise<void>,
): void {
  program
    .command("check")
    .description(
      "run the settings Check against amoCRM and 1C; exit 1 on failure",
    )
    .action(() => run((c) => withAmo1c(c, (a) => checkSettings(a, io))));

  program
    .command("sync")
    .description(
      "sync one deal now, in this process (outside the queue), and show what it read and wrote; waits for (PostgreSQL) or refuses (SQLite) a run of the deal on a server",
    )
    .argument("<dealId>", "the amoCRM deal id", parseDealId)
    .action((dealId: number) =>
      run((c) =>
        withAmo1c(c, (a) =>
          syncDealNow(a, dealId, io, { log: createCliLogger(c) }),
        ),
      ),
    );

  program
    .command("status")
    .description(
      "show what amo1c stored about a deal and whether a run is pending",
    )
    .argument("<dealId>", "the amoCRM deal id", parseDealId)
    .action((dealId: number) =>
      run((c) => withAmo1c(c, (a) => showDealStatus(a, dealId, io))),
    );

  program
    .command("jobs")
    .description("show queued, running and failed sync jobs with their reasons")
    .option("--retry-failed", "put every failed job back in the queue")
    .action((options: { retryFailed?: boolean }) =>
      run((c) => withAmo1c(c, (a) => listJobs(a, options, io))),
    );

  program
    .command("reconcile")
    .description(
      "queue the deals amoCRM changed since the last reconciliation pass",
    )
    .option(
      "--since <date>",
      "backfill: every deal changed since this date (YYYY-MM-DD), e.g. on a new installation",
      parseSinceDate,
    )
    .action((options: { since?: Date }) =>
      run((c) =>
        withAmo1c(c, (a) =>
          reconcileNow(
            { amo1c: a, log: createCliLogger(c), since: options.since },
            io,
          ),
        ),
      ),
    );
}

/** A calendar date (zod checks the day exists: no 2025-02-30), from its midnight UTC. */
function parseSinceDate(value: string): Date {
  if (!z.iso.date().safeParse(value).success) {
    throw new InvalidArgumentError(
      "expected a date that exists, as YYYY-MM-DD (such as 2025-03-01)",
    );
  }
  return new Date(`${value}T00:00:00Z`);
}

function addMaintenanceCommands(
  program: Command,
  io: CliIo,
  inputs: CliInputs,
  run: (task: Task) => Promise<void>,
): void {
  program
    .command("migrate")
    .description(
      "apply pending database migrations and print the schema version",
    )
    .action(() => run((c) => applyMigrations(c.config, io)));

  program
    .command("rotate-key")
    .description(
      `re-encrypt every stored secret under a new AMO1C_SECRET_KEY (stop every amo1c instance first: it refuses while one shows in the database, unless --force); the new key comes from ${NEW_KEY_VARIABLE}, stdin (--new-key-stdin) or --new-key`,
    )
    .option(
      "--new-key <base64>",
      "the new key: 32 random bytes in base64 (visible in ps: prefer the two below)",
    )
    .option("--new-key-stdin", "read the new key from the first line of stdin")
    .option(
      "--force",
      "rotate even though the database shows an amo1c instance at work (an instance's presence, pg-boss connections, running jobs)",
    )
    .addHelpText(
      "after",
      `\nExample:\n  ${NEW_KEY_VARIABLE}="$(openssl rand -base64 32)" amo1c rotate-key\n  openssl rand -base64 32 | amo1c rotate-key --new-key-stdin`,
    )
    .action((options: RotateKeyFlags) =>
      run(async (c) => {
        const newKey = await readNewKey({
          flag: options.newKey,
          fromStdin: options.newKeyStdin === true,
          ...inputs,
        });
        const force = options.force === true;
        return rotateSecretKey({ config: c.config, newKey, force }, io);
      }),
    );
}

interface RotateKeyFlags {
  newKey?: string;
  newKeyStdin?: boolean;
  force?: boolean;
}

function parseDealId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new InvalidArgumentError(
      "expected a deal id, a positive whole number",
    );
  return id;
}

/** loadConfig with the same one-line failure the server prints. */
function readConfig(env: NodeJS.ProcessEnv, io: CliIo): Config | null {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!isAppError(error)) throw error;
    io.err(`amo1c: ${error.message} (see .env.example)`);
    return null;
  }
}
