import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { SERVER_BUNDLE } from "../../../scripts/build-server.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("no port");
  return { server, port: address.port };
}

/**
 * Runs the compiled server with stdout and stderr on one file, as journald
 * and `>log 2>&1` see them, so the order of the lines is the order written.
 */
async function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "amo1c-start-output-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, "out.log");
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    cwd: dir,
    env: {
      PATH: process.env["PATH"] ?? "",
      PUBLIC_URL: "https://amo1c.example.com",
      AMOCRM_CLIENT_ID: "client",
      AMOCRM_CLIENT_SECRET: "secret",
      AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
      DATABASE_URL: `file:${join(dir, "amo1c.db")}`,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", fd, fd],
  });
  const code = await new Promise<number | null>((resolve) =>
    child.once("exit", resolve),
  );
  const lines = readFileSync(logFile, "utf8").trim().split("\n");
  return { code, lines };
}

describe("a start that fails on a taken port", () => {
  it("exits 1 with the failure as the last line, after every log line", async () => {
    const { server, port } = await occupyPort();
    cleanups.push(() => server.close());

    const { code, lines } = await runToExit({
      PORT: String(port),
      HOST: "127.0.0.1",
    });

    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      `amo1c failed to start: listen EADDRINUSE: address already in use 127.0.0.1:${port} (the port is taken: set PORT to a free one)`,
    );
    // The scheduler ran its first pass before the listen failed; those
    // lines are written out before the failure, not after it.
    expect(lines.slice(0, -1).join("\n")).toContain("scheduled task done");
  });
});
