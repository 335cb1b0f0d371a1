import { spawn, type ChildProcess } from "node:child_process";
import { SERVER_BUNDLE } from "../../../scripts/build-server.js";

export interface Amo1cProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for diagnosing a failed test. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts amo1c as `npm start` does (the compiled bundle) and waits for /readyz. */
export async function spawnAmo1c(
  env: Record<string, string>,
  port: number,
): Promise<Amo1cProcess> {
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", SERVER_BUNDLE],
    {
      env: {
        ...process.env,
        LOG_LEVEL: "warn",
        ...env,
        PORT: String(port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const chunks: string[] = [];
  child.stdout?.on("data", (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once("close", () => resolve()),
  );

  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, () => chunks.join(""));
  return {
    url,
    child,
    output: () => chunks.join(""),
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`amo1c exited at start:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`amo1c did not become ready:\n${output()}`);
}
