/**
 * Compiles the backend's production entry (server/src/main.ts) into one
 * JavaScript file, dist/server/amo1c.mjs, that plain `node` runs: no
 * TypeScript loader in the running process. Dependencies stay in
 * node_modules (native better-sqlite3, pg, pino's transport threads), so the
 * file must sit inside the repository to find them.
 * Run by `npm start` before it starts amo1c (`npm run build:server` alone).
 */
import { fileURLToPath, pathToFileURL } from "node:url";

import { build } from "esbuild";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SERVER_BUNDLE = `${REPO_ROOT}dist/server/amo1c.mjs`;

/** Builds the bundle (and its source map) and returns its path. */
export async function buildServer(outFile = SERVER_BUNDLE): Promise<string> {
  await build({
    entryPoints: [`${REPO_ROOT}server/src/main.ts`],
    outfile: outFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // Stack traces name the TypeScript lines when node runs with
    // --enable-source-maps, as `npm start` does.
    sourcemap: true,
    logLevel: "warning",
  });
  return outFile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildServer();
}
