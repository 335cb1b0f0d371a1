import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describeStartFailure } from "../../server/src/describe-start-failure.js";
import { createLogger } from "../../server/src/log.js";
import type { AmocrmSeed } from "../emulators/amocrm/types.js";
import type { OnecSeed } from "../emulators/onec/types.js";
import { createHarnessRouter } from "../harness/create-harness-router.js";
import { startStand, STAND_ONEC_BASE } from "../stand/start-stand.js";
import { createDemoRouter } from "./create-demo-router.js";

interface DemoSeed {
  amocrm: AmocrmSeed;
  onec: OnecSeed;
  notes: { deleted_contacts: number[] };
}

const SEED_FILE = join(import.meta.dirname, "demo-seed.json");
const HARNESS_PATH = "/harness/";

/** `npm run demo`: amo1c with emulated amoCRM and 1C, on embedded defaults. */
async function main(): Promise<void> {
  const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as DemoSeed;
  const port = Number(process.env["PORT"] ?? 3000);
  const log = createLogger({
    level: process.env["LOG_LEVEL"] ?? "info",
    pretty: true,
  });

  const stand = await startStand({
    port,
    amocrmPort: Number(process.env["AMOCRM_EMULATOR_PORT"] ?? 4010),
    onecPort: Number(process.env["ONEC_EMULATOR_PORT"] ?? 4020),
    amocrmSeed: seed.amocrm,
    onecSeed: seed.onec,
    log,
    extraRouters: (parts) => [
      createHarnessRouter({
        amocrmEmulatorUrl: parts.amocrm.url,
        backendUrl: parts.publicUrl,
        distDir: join(import.meta.dirname, "../../dist/widget"),
      }),
      createDemoRouter({
        amocrm: parts.amocrm,
        onec: parts.onec,
        onecBase: STAND_ONEC_BASE,
        harnessPath: HARNESS_PATH,
      }),
    ],
  });
  for (const id of seed.notes.deleted_contacts)
    stand.amocrm.updateContact(id, { deleted: true });
  // The first load, as `npx amo1c reconcile --since` does on a new installation.
  for (const lead of seed.amocrm.leads) {
    await stand.amo1c.queue.enqueue(lead.id, { trigger: "reconcile" });
  }

  console.log(`
amo1c demo stand is running.
  Demo page (deals, widget, 1C data): ${stand.url}/demo
  amo1c backend:                      ${stand.url}  (GET /readyz)
  amoCRM emulator:                    ${stand.amocrm.url}
  1C emulator (OData):                ${stand.odataUrl}
Edit ${SEED_FILE} to change the demo data. Ctrl-C stops everything.
`);

  const stop = async () => {
    await stand.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`demo failed to start: ${describeStartFailure(error)}`);
  process.exit(1);
});
