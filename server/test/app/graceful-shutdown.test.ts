import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, expect, test } from "vitest";

import { startAmocrmEmulator } from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  startOnecEmulator,
  type OnecEmulator,
} from "../../../scripts/emulators/onec/start-onec-emulator.js";
import { configureAmo1c } from "../../../scripts/stand/configure-amo1c.js";
import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { createAmo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/log.js";
import { spawnAmo1c } from "../helpers/spawn-amo1c.js";

const BASE = "ut11";
const ONEC_USER = "Обмен amoCRM";
const ONEC_PASSWORD = randomBytes(9).toString("base64url");
const DEAL_ID = 1100001;
const ADMIN_USER_ID = 8100001;
const dir = mkdtempSync(join(tmpdir(), "amo1c-shutdown-"));
const stops: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  rmSync(dir, { recursive: true, force: true });
});

function ordersOfDeal(onec: OnecEmulator, dealId: number) {
  return onec
    .list(BASE, "Document_ЗаказКлиента")
    .filter((o) => String(o["Комментарий"]).includes(`amo1c:lead:${dealId}]`));
}

test("SIGTERM during a slow re-sync finishes the request and the job, then exits 0", async () => {
  const port = await findFreePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const amocrm = await startAmocrmEmulator({
    redirectUri: `${publicUrl}/amocrm/oauth/callback`,
  });
  stops.push(() => amocrm.stop());
  const onec = await startOnecEmulator({
    bases: [{ name: BASE, profile: "ut11" }],
    user: ONEC_USER,
    password: ONEC_PASSWORD,
  });
  stops.push(() => onec.stop());

  const env = {
    PUBLIC_URL: publicUrl,
    DATABASE_URL: `file:${join(dir, "amo1c.db")}`,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: amocrm.clientId,
    AMOCRM_CLIENT_SECRET: amocrm.clientSecret,
    AMOCRM_BASE_URL: amocrm.url,
    LOG_LEVEL: "info",
  };
  const setup = await createAmo1c({
    config: loadConfig({ ...env, PORT: "0" }),
    log: createLogger({ level: "silent" }),
    schedule: false,
  });
  await configureAmo1c(setup, {
    amocrm,
    onec,
    base: BASE,
    onecUser: ONEC_USER,
    onecPassword: ONEC_PASSWORD,
    tokenMode: "oauth",
  });
  await setup.stop();

  const proc = await spawnAmo1c(env, port);
  stops.push(() => proc.kill("SIGKILL"));
  const exit = new Promise<number | null>((resolve) =>
    proc.child.once("close", (code) => resolve(code)),
  );
  // Every 1C call now takes a while: the run is still writing at SIGTERM.
  onec.setLatency(400);
  onec.clearRequests();

  const resync = fetch(`${proc.url}/api/v1/deals/${DEAL_ID}/sync`, {
    method: "POST",
    headers: {
      "x-auth-token": amocrm.signDisposableToken({ userId: ADMIN_USER_ID }),
    },
  });
  const deadline = Date.now() + 10_000;
  while (onec.requests().length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(ordersOfDeal(onec, DEAL_ID)).toEqual([]);
  proc.child.kill("SIGTERM");

  const answer = await resync;
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ outcome: "done" });
  expect(await exit).toBe(0);
  expect(ordersOfDeal(onec, DEAL_ID)).toHaveLength(1);
  const output = proc.output();
  expect(output).toContain('"msg":"stopping: finishing requests and jobs"');
  expect(output).toContain('"msg":"deal synced"');
  expect(output).toContain('"msg":"stopped"');
}, 60_000);
