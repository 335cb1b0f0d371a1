import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Inside the repository, so the bundle's imports find node_modules. */
export const BUNDLED_ENTRY = `${REPO_ROOT}dist/bench/amo1c.mjs`;

/**
 * amo1c's production entry as one JavaScript file, dependencies left to
 * node_modules: what a compiled release would run with plain `node`. The
 * bench compares its memory with `npm start`, which runs the TypeScript
 * sources under tsx. esbuild is the compiler tsx itself runs on.
 */
export async function bundleProductionEntry(): Promise<string> {
  await build({
    entryPoints: [`${REPO_ROOT}server/src/main.ts`],
    outfile: BUNDLED_ENTRY,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return BUNDLED_ENTRY;
}
