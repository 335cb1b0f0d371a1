import { readFileSync } from "node:fs";

import { Command } from "commander";

import { startAmocrmEmulator } from "./start-amocrm-emulator.js";
import { findAdminUserId } from "./state.js";
import type { AmocrmSeed } from "./types.js";

const DEFAULT_PORT = 4010;
const DEFAULT_SEED = "scripts/emulators/amocrm/seed.json";

interface CliOptions {
  port?: string;
  seed: string;
  redirectUri?: string;
  clientId?: string;
  clientSecret?: string;
}

async function main(): Promise<void> {
  const program = new Command()
    .name("emulator:amocrm")
    .description("In-memory amoCRM emulator for amo1c development and tests")
    .option("--port <port>", "port to listen on (env AMOCRM_EMULATOR_PORT)")
    .option("--seed <file>", "seed JSON file", DEFAULT_SEED)
    .option(
      "--redirect-uri <uri>",
      "the integration's redirect URI: amo1c's PUBLIC_URL + /amocrm/oauth/callback",
    )
    .option("--client-id <id>", "the integration id amo1c is configured with")
    .option("--client-secret <secret>", "the integration secret")
    .parse();
  const opts = program.opts<CliOptions>();
  const port = Number(
    opts.port ?? process.env.AMOCRM_EMULATOR_PORT ?? DEFAULT_PORT,
  );
  const seed = JSON.parse(readFileSync(opts.seed, "utf8")) as AmocrmSeed;

  const emulator = await startAmocrmEmulator({
    port,
    seed,
    redirectUri: opts.redirectUri,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
  });
  console.log(
    `amoCRM emulator for ${emulator.host} listening on ${emulator.url}`,
  );
  console.log(
    `client_id=${emulator.clientId} client_secret=${emulator.clientSecret} redirect_uri=${emulator.redirectUri}`,
  );
  console.log(
    `admin API: ${emulator.url}/__admin (POST /__admin/oauth/codes for a code)`,
  );
  // amo1c's settings API takes a fresh amoCRM-signed token per call; outside
  // amoCRM's page, this endpoint is where a user gets one.
  const adminId = findAdminUserId(seed);
  console.log(
    `widget token (X-Auth-Token) for admin user ${adminId}: POST /__admin/disposable-token {"userId":${adminId}}`,
  );
  console.log(
    `point amo1c at it with AMOCRM_BASE_URL=${emulator.url} and the client id and secret above`,
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
