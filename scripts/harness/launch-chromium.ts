import { existsSync } from "node:fs";

import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

/** Debian's Chromium; CI installs it, a developer machine may lack it. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface ChromiumPresenceOptions {
  /** What the skip is about, for the printed line. */
  suite: string;
  path?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  print?: ((line: string) => void) | undefined;
}

/**
 * Whether the browser tests can run. Locally a missing Chromium skips them
 * and says so; under CI it throws, because a CI run that skipped them
 * would pass without testing the widget at all.
 */
export function chromiumPresent(options: ChromiumPresenceOptions): boolean {
  const path = options.path ?? CHROMIUM_PATH;
  const env = options.env ?? process.env;
  if (existsSync(path)) return true;

  if (isCi(env)) {
    throw new Error(
      `${path} is not installed, and CI must run ${options.suite}: install Debian's chromium package (.ci/run does)`,
    );
  }
  const print = options.print ?? ((line) => process.stdout.write(line));
  print(`${path} is not installed: skipping ${options.suite}\n`);
  return false;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env["CI"]?.toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
  });
}
