import { createHarnessRouter } from "../../../scripts/harness/create-harness-router.js";
import {
  startStand,
  type Stand,
  type StandOptions,
} from "../../../scripts/stand/start-stand.js";

export interface HarnessStandOptions extends StandOptions {
  /** Where the built script.js and style.css are. */
  distDir: string;
}

export interface HarnessStand extends Stand {
  /** The harness page with the given query: deal, user, lang, view. */
  harnessUrl(query: Record<string, string | number>): string;
}

/** A stand whose amo1c also serves the widget harness page (as in the demo). */
export async function startHarnessStand(
  options: HarnessStandOptions,
): Promise<HarnessStand> {
  const { distDir, ...standOptions } = options;
  const stand = await startStand({
    ...standOptions,
    extraRouters: (parts) => [
      createHarnessRouter({
        amocrmEmulatorUrl: parts.amocrm.url,
        backendUrl: parts.publicUrl,
        distDir,
      }),
    ],
  });

  return Object.assign(stand, {
    harnessUrl(query: Record<string, string | number>) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        search.set(key, String(value));
      }
      return `${stand.url}/harness/?${search}`;
    },
  });
}
