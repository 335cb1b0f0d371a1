import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { buildWidgetBundle } from "../../../scripts/harness/build-widget-bundle.js";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const DIST_DIR = join(REPO_ROOT, "dist/widget");
/** What the bundle is built from: the widget and the types it shares. */
const SOURCE_DIRS = ["widget/src", "shared"].map((dir) => join(REPO_ROOT, dir));

export interface WidgetBundle {
  /** Holds script.js and style.css. */
  dir: string;
  /** false: dist/widget was current and is used as it is. */
  built: boolean;
  dispose(): Promise<void>;
}

/**
 * The built widget for a browser test: `npm run build:widget`'s output when
 * it is there and newer than every source file, else a fresh build in a
 * scratch folder (dist/ stays as the developer left it).
 */
export async function prepareWidgetBundle(): Promise<WidgetBundle> {
  if (isCurrent(join(DIST_DIR, "script.js"))) {
    return { dir: DIST_DIR, built: false, dispose: async () => {} };
  }

  const dir = await mkdtemp(join(tmpdir(), "amo1c-widget-bundle-"));
  await buildWidgetBundle(dir);
  return {
    dir,
    built: true,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function isCurrent(bundleFile: string): boolean {
  if (!existsSync(bundleFile)) return false;
  const builtAt = statSync(bundleFile).mtimeMs;
  return SOURCE_DIRS.every((dir) => newestChange(dir) <= builtAt);
}

function newestChange(dir: string): number {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true });
  return Math.max(
    0,
    ...files
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}
