import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, afterEach, describe, expect, it } from "vitest";

import { findFreePort } from "../../stand/find-free-port.js";
import { captureLog } from "../../../server/test/helpers/capture-log.js";
import { describeDemoFailure } from "../describe-demo-failure.js";
import { readDemoSeed } from "../read-demo-seed.js";
import { DEMO_SEED_FILE, startDemo } from "../start-demo.js";

const held: Server[] = [];
afterEach(async () => {
  for (const server of held.splice(0))
    await new Promise((resolve) => server.close(resolve));
});

/** A port some other program listens on. */
async function takenPort(): Promise<number> {
  const port = await findFreePort();
  const server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(port, "127.0.0.1", resolve),
  );
  held.push(server);
  return port;
}

/** True when nothing listens on the port any more. */
async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function failureOf(ports: Record<string, number>, log = captureLog()) {
  const error = await startDemo({
    port: ports["PORT"]!,
    amocrmPort: ports["AMOCRM_EMULATOR_PORT"]!,
    onecPort: ports["ONEC_EMULATOR_PORT"]!,
    log: log.log,
  }).then(
    () => new Error("the demo started"),
    (e: unknown) => e,
  );
  return describeDemoFailure(error, ports);
}

describe("demo start failures", () => {
  it.each(["AMOCRM_EMULATOR_PORT", "ONEC_EMULATOR_PORT"])(
    "names %s when its port is taken and leaves nothing running",
    async (variable) => {
      const ports: Record<string, number> = {
        PORT: await findFreePort(),
        AMOCRM_EMULATOR_PORT: await findFreePort(),
        ONEC_EMULATOR_PORT: await findFreePort(),
      };
      ports[variable] = await takenPort();

      const line = await failureOf(ports);

      expect(line).toBe(
        `port ${ports[variable]} is taken: set ${variable} to a free one (0 picks any)`,
      );
      expect(await isFree(ports["AMOCRM_EMULATOR_PORT"]!)).toBe(
        variable !== "AMOCRM_EMULATOR_PORT",
      );
    },
  );

  it("stops the stand's work when amo1c's own port is taken", async () => {
    const ports = {
      PORT: await takenPort(),
      AMOCRM_EMULATOR_PORT: await findFreePort(),
      ONEC_EMULATOR_PORT: await findFreePort(),
    };
    const log = captureLog("info");

    const line = await failureOf(ports, log);
    const linesAtFailure = log.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(line).toMatch(/set PORT to a free one/);
    expect(await isFree(ports.AMOCRM_EMULATOR_PORT)).toBe(true);
    expect(await isFree(ports.ONEC_EMULATOR_PORT)).toBe(true);
    expect(log.lines.length).toBe(linesAtFailure);
  });
});

describe("the demo's port variables", () => {
  it("names the variable whose value is not a port, and starts nothing", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/demo/main.ts"],
      { env: { ...process.env, PORT: "abc" }, encoding: "utf8" },
    );

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n").at(-1)).toBe(
      "demo failed to start: PORT=abc is not a port number: set it to 0 to 65535 (0 picks a free port) or unset it for 3000",
    );
  });
});

describe("readDemoSeed", () => {
  const dir = mkdtempSync(join(tmpdir(), "amo1c-demo-seed-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the file, line and column of broken JSON", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "amocrm": {,\n}');

    expect(() => readDemoSeed(file)).toThrow(
      `${file}:2:14 is not valid JSON: `,
    );
  });

  it("names the field of a value of the wrong type", () => {
    const seed = JSON.parse(readFileSync(DEMO_SEED_FILE, "utf8"));
    seed.amocrm.leads[3].price = "lots";
    const file = join(dir, "price.json");
    writeFileSync(file, JSON.stringify(seed));

    expect(() => readDemoSeed(file)).toThrow(
      `${file}: amocrm.leads.3.price: Invalid input: expected number, received string`,
    );
  });

  it("accepts the demo's own fixture", () => {
    expect(readDemoSeed(DEMO_SEED_FILE).amocrm.leads.length).toBeGreaterThan(0);
  });
});
