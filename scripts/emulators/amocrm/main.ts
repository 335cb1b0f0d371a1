import { readFileSync } from "node:fs";

import { Command } from "commander";

import { startAmocrmEmulator } from "./start-amocrm-emulator.js";
import type { AmocrmSeed } from "./types.js";

const DEFAULT_PORT = 4010;
const DEFAULT_SEED = "scripts/emulators/amocrm/seed.json";

interface CliOptions {
  port?: string;
  seed: string;
}

async function main(): Promise<void> {
  const program = new Command()
    .name("emulator:amocrm")
    .description("In-memory amoCRM emulator for amo1c development and tests")
    .option("--port <port>", "port to listen on (env AMOCRM_EMULATOR_PORT)")
    .option("--seed <file>", "seed JSON file", DEFAULT_SEED)
    .parse();
  const opts = program.opts<CliOptions>();
  const port = Number(
    opts.port ?? process.env.AMOCRM_EMULATOR_PORT ?? DEFAULT_PORT,
  );
  const seed = JSON.parse(readFileSync(opts.seed, "utf8")) as AmocrmSeed;

  const emulator = await startAmocrmEmulator({ port, seed });
  console.log(
    `amoCRM emulator for ${emulator.host} listening on ${emulator.url}`,
  );
  console.log(
    `client_id=${emulator.clientId} redirect_uri=${emulator.redirectUri}`,
  );
  console.log(
    `admin API: ${emulator.url}/__admin (POST /__admin/oauth/codes for a code)`,
  );

  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
