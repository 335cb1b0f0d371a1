import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

/** Polls GET /healthz until it answers 200; throws if the child exits first. */
export async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the amo1c process exited with ${child.exitCode}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error("the amo1c process did not answer /healthz in time");
}

/** SIGTERM lets amo1c finish its running jobs; SIGKILL after a while. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const late = await Promise.race([
    exited.then(() => false),
    sleep(STOP_TIMEOUT_MS).then(() => true),
  ]);
  if (late) child.kill("SIGKILL");
}
