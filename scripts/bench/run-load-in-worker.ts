import { Worker } from "node:worker_threads";

import type { LoadPlan, LoadResult } from "./run-open-loop.js";

const WORKER_FILE = new URL("./load-worker.ts", import.meta.url).href;
// Node 20 does not pass tsx's loader on to a worker through execArgv, so a
// small JavaScript entry registers it before importing the TypeScript file.
const BOOTSTRAP = `
  import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
    .then(({ register }) => { register(); return import(${JSON.stringify(WORKER_FILE)}); });
`;

/**
 * Runs the load on its own thread: the client's work (sending, parsing
 * answers, timing) then takes a core of its own instead of sharing the
 * event loop with the amo1c it measures.
 */
export function runLoadInWorker(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: plan });
    worker.once("message", (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
