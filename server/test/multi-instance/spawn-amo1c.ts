import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SERVER_BUNDLE } from "../../../scripts/build-server.js";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const KEPT_OUTPUT_CHARS = 20_000;

export interface Amo1cProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** The tail of what the process printed, for a failure message. */
  output(): string;
  waitReady(timeoutMs: number): Promise<void>;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
}

/** Starts the compiled bundle with plain node, as `npm start` does. */
export function spawnAmo1c(
  name: string,
  port: number,
  env: Record<string, string>,
): Amo1cProcess {
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", SERVER_BUNDLE],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env["PATH"] ?? "", ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`)),
  );

  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    url,
    child,
    output: () => output,
    exited,
    waitReady: (timeoutMs) => waitReady(url, timeoutMs, exited, () => output),
  };
}

async function waitReady(
  url: string,
  timeoutMs: number,
  exited: Promise<string>,
  output: () => string,
): Promise<void> {
  let gone: string | null = null;
  void exited.then((how) => (gone = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`amo1c exited (${gone}):\n${output()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`amo1c at ${url} not ready in ${timeoutMs} ms:\n${output()}`);
}
