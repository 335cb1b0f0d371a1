import { join } from "node:path";

import type { Logger } from "../../server/src/log.js";
import { createHarnessRouter } from "../harness/create-harness-router.js";
import {
  startStand,
  STAND_ONEC_BASE,
  type Stand,
} from "../stand/start-stand.js";
import { createDemoRouter } from "./create-demo-router.js";
import { readDemoSeed, type DemoSeed } from "./read-demo-seed.js";

export type { DemoSeed };

export const DEMO_SEED_FILE = join(import.meta.dirname, "demo-seed.json");
const WIDGET_DIST_DIR = join(import.meta.dirname, "../../dist/widget");
const HARNESS_PATH = "/harness/";

export interface DemoOptions {
  /** amo1c's port; 0 = a free one (as for the two below). */
  port: number;
  amocrmPort: number;
  onecPort: number;
  log: Logger;
  seedFile?: string | undefined;
  /** The built widget (script.js, style.css) the harness page loads. */
  widgetDir?: string | undefined;
}

export interface Demo {
  stand: Stand;
  seed: DemoSeed;
  seedFile: string;
  stop(): Promise<void>;
}

/**
 * The demo stand: amo1c, the amoCRM emulator and the 1C emulator seeded
 * from the demo's fixture, the harness page and the demo page on top,
 * and every seeded deal queued for its first load.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const seedFile = options.seedFile ?? DEMO_SEED_FILE;
  const seed = readDemoSeed(seedFile);

  const stand = await startStand({
    port: options.port,
    amocrmPort: options.amocrmPort,
    onecPort: options.onecPort,
    amocrmSeed: seed.amocrm,
    onecSeed: seed.onec,
    log: options.log,
    extraRouters: (parts) => [
      createHarnessRouter({
        amocrmEmulatorUrl: parts.amocrm.url,
        backendUrl: parts.publicUrl,
        distDir: options.widgetDir ?? WIDGET_DIST_DIR,
      }),
      createDemoRouter({
        amocrm: parts.amocrm,
        onec: parts.onec,
        onecBase: STAND_ONEC_BASE,
        harnessPath: HARNESS_PATH,
      }),
    ],
  });
  try {
    await loadDemoData(stand, seed);
  } catch (error) {
    await stand.stop();
    throw error;
  }

  return { stand, seed, seedFile, stop: () => stand.stop() };
}

async function loadDemoData(stand: Stand, seed: DemoSeed): Promise<void> {
  for (const id of seed.notes.deleted_contacts)
    stand.amocrm.updateContact(id, { deleted: true });
  // The first load, as `npx amo1c reconcile --since` does on a new installation.
  for (const lead of seed.amocrm.leads) {
    await stand.amo1c.queue.enqueue(lead.id, { trigger: "reconcile" });
  }
}
