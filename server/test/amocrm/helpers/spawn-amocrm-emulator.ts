import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import {
  DEFAULT_CLIENT_SECRET,
  type AmocrmEmulator,
  type RequestLogEntry,
} from "../../../../scripts/emulators/amocrm/start-amocrm-emulator.js";

type EmulatorInfo = Pick<
  AmocrmEmulator,
  "url" | "host" | "clientId" | "clientSecret"
>;

const MAIN = fileURLToPath(
  new URL("../../../../scripts/emulators/amocrm/main.ts", import.meta.url),
);
const STARTUP_TIMEOUT_MS = 20_000;

/** The emulator in its own process, driven through its admin API. */
export interface SpawnedEmulator extends EmulatorInfo {
  issueAuthCode(): Promise<string>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the emulator as a child process, so its arrival timestamps do not
 * share an event loop with the client under test.
 */
export async function spawnAmocrmEmulator(): Promise<SpawnedEmulator> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "--port", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const info = await readStartup(child.stdout);

  const admin = async (method: string, path: string) => {
    const response = await fetch(`${info.url}${path}`, { method });
    return response.status === 204
      ? null
      : ((await response.json()) as unknown);
  };

  return {
    ...info,
    async issueAuthCode() {
      return ((await admin("POST", "/__admin/oauth/codes")) as { code: string })
        .code;
    },
    requests: async () =>
      (await admin("GET", "/__admin/requests")) as RequestLogEntry[],
    clearRequests: async () =>
      void (await admin("DELETE", "/__admin/requests")),
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

function readStartup(stdout: NodeJS.ReadableStream): Promise<EmulatorInfo> {
  return new Promise((resolve, reject) => {
    let text = "";
    const deadline = setTimeout(() => {
      reject(new Error(`the amoCRM emulator did not start: ${text}`));
    }, STARTUP_TIMEOUT_MS);

    stdout.on("data", (chunk) => {
      text += String(chunk);
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      const host = /amoCRM emulator for (\S+)/.exec(text)?.[1];
      const clientId = /client_id=(\S+)/.exec(text)?.[1];
      if (!url || !host || !clientId) return;

      clearTimeout(deadline);
      resolve({ url, host, clientId, clientSecret: DEFAULT_CLIENT_SECRET });
    });
  });
}
