import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { SCRIPT_GZIP_BUDGET_BYTES } from "../build-widget.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPT_FILE = `${REPO_ROOT}dist/widget/script.js`;

export interface BundleSizeResult {
  gzip_bytes: number;
  raw_bytes: number;
  budget_bytes: number;
  /** Whether this run had to build the widget first. */
  built: boolean;
}

/**
 * The widget's script.js as amoCRM serves it to every deal card, gzip at
 * level 9 as the widget build reports it. Builds the widget when missing.
 */
export function measureBundleSize(
  log: (line: string) => void,
): BundleSizeResult {
  const built = !existsSync(SCRIPT_FILE);
  if (built) {
    log("dist/widget/script.js is missing: running npm run build:widget");
    execFileSync("npm", ["run", "build:widget"], {
      cwd: REPO_ROOT,
      stdio: "ignore",
    });
  }
  const script = readFileSync(SCRIPT_FILE);
  return {
    gzip_bytes: gzipSync(script, { level: 9 }).length,
    raw_bytes: script.length,
    budget_bytes: SCRIPT_GZIP_BUDGET_BYTES,
    built,
  };
}
