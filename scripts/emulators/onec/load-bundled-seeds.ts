import { readFileSync } from "node:fs";

import type { OnecProfile, OnecSeed } from "./types.js";

/** The seeds shipped next to the emulator, read fresh for each instance. */
export function loadBundledSeeds(): Record<OnecProfile, OnecSeed> {
  const read = (file: string): OnecSeed =>
    JSON.parse(
      readFileSync(new URL(file, import.meta.url), "utf8"),
    ) as OnecSeed;
  return { ut11: read("./seed-ut11.json"), bp30: read("./seed-bp30.json") };
}
