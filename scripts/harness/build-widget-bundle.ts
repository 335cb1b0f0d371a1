import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const VITE_CLI = fileURLToPath(
  new URL("../../node_modules/vite/bin/vite.js", import.meta.url),
);

/**
 * Builds the widget's script.js and style.css into `outDir` with the same
 * command as `npm run build:widget`, for tests that need the real bundle.
 */
export async function buildWidgetBundle(outDir: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [VITE_CLI, "build", "-c", "widget/vite.config.ts", "--outDir", outDir],
    { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: "production" } },
  );
}
