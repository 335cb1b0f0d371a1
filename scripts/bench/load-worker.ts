import { parentPort, workerData } from "node:worker_threads";

import { runOpenLoop, type LoadPlan } from "./run-open-loop.js";

// The worker thread's entry (see run-load-in-worker.ts).
const result = await runOpenLoop(workerData as LoadPlan);
parentPort?.postMessage(result);
