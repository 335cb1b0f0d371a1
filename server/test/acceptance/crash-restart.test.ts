import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, expect, test } from "vitest";

import type { SettingsView } from "../../../shared/settings.js";
import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  startOnecEmulator,
  type OnecEmulator,
} from "../../../scripts/emulators/onec/start-onec-emulator.js";
import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { spawnAmo1c, type Amo1cProcess } from "../helpers/spawn-amo1c.js";

const DEALS = 200;
const dir = mkdtempSync(join(tmpdir(), "amo1c-crash-"));
const running: {
  amocrm?: AmocrmEmulator;
  onec?: OnecEmulator;
  process?: Amo1cProcess;
} = {};

afterAll(async () => {
  await running.process?.kill("SIGKILL");
  await running.amocrm?.stop();
  await running.onec?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(
  what: string,
  done: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a process killed during a burst of 200 deals resumes after restart: every deal once, no duplicates in 1C", async () => {
  const port = await findFreePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const amocrm = (running.amocrm = await startAmocrmEmulator({
    redirectUri: `${publicUrl}/amocrm/oauth/callback`,
  }));
  const onec = (running.onec = await startOnecEmulator({ password: "p" }));
  const env = {
    PUBLIC_URL: publicUrl,
    DATABASE_URL: `file:${join(dir, "amo1c.db")}`,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: amocrm.clientId,
    AMOCRM_CLIENT_SECRET: amocrm.clientSecret,
    AMOCRM_BASE_URL: amocrm.url,
  };
  running.process = await spawnAmo1c(env, port);

  // Set up as an admin would, through the widget API.
  const expires = new Date(Date.now() + 30 * 86_400_000);
  const token = () =>
    amocrm.signDisposableToken({ userId: 8100001, isAdmin: true });
  const put = await fetch(`${publicUrl}/api/v1/settings`, {
    method: "PUT",
    headers: { "x-auth-token": token(), "content-type": "application/json" },
    body: JSON.stringify({
      amocrm: {
        host: amocrm.host,
        longLivedToken: true,
        tokenExpiresOn: expires.toISOString().slice(0, 10),
        accessToken: amocrm.issueLongLivedToken(expires),
      },
      onec: {
        odataUrl: onec.odataUrl("ut11"),
        user: "Администратор",
        password: "p",
        profile: "ut11",
        timeZone: "Europe/Moscow",
        organizationRef: String(
          onec.list("ut11", "Catalog_Организации")[0]?.["Ref_Key"],
        ),
        dealItemRef: String(
          onec.list("ut11", "Catalog_Номенклатура")[0]?.["Ref_Key"],
        ),
      },
      exchange: { createCounterpartiesFromContacts: true },
    }),
  });
  expect(put.status).toBe(200);
  const view = (await put.json()) as SettingsView;
  const check = await fetch(`${publicUrl}/api/v1/settings/check`, {
    method: "POST",
    headers: { "x-auth-token": token() },
  });
  expect(((await check.json()) as { ok: boolean }).ok).toBe(true);
  amocrm.subscribeWebhook(view.webhookUrl);

  // The burst: each new deal makes amoCRM send a webhook.
  const dealIds: number[] = [];
  for (let i = 0; i < DEALS; i++) {
    const contact = amocrm.createContact({
      name: `Клиент ${i} «Взрыв»`,
      phone: `+7 900 ${String(1000000 + i)}`,
    });
    dealIds.push(
      amocrm.createLead({
        name: `Сделка ${i}`,
        price: 100 + i,
        contacts: [{ id: contact, is_main: true }],
      }),
    );
  }
  const orders = () =>
    onec
      .list("ut11", "Document_ЗаказКлиента")
      .filter((o) => String(o["Комментарий"]).includes("amo1c:lead:"));
  const acknowledged = () =>
    amocrm.webhookDeliveries().filter((d) => d.status === 200).length;
  await waitFor(
    "every webhook acknowledged",
    () => acknowledged() >= DEALS,
    30_000,
  );

  // Kill it mid-run: some orders written, most not.
  await waitFor("the first orders", () => orders().length >= 20, 60_000);
  await running.process.kill("SIGKILL");
  const atKill = orders().length;
  expect(atKill).toBeLessThan(DEALS);

  running.process = await spawnAmo1c(env, port);
  await waitFor("every deal's order", () => orders().length >= DEALS, 120_000);
  await new Promise((r) => setTimeout(r, 1000));

  const byDeal = new Map<string, number>();
  for (const order of orders()) {
    const deal =
      /amo1c:lead:(\d+)/.exec(String(order["Комментарий"]))?.[1] ?? "?";
    byDeal.set(deal, (byDeal.get(deal) ?? 0) + 1);
  }
  expect(byDeal.size).toBe(DEALS);
  expect([...byDeal.values()].every((n) => n === 1)).toBe(true);

  const names = onec
    .list("ut11", "Catalog_Контрагенты")
    .map((c) => String(c["Description"]));
  const burst = names.filter((n) => n.endsWith("«Взрыв»"));
  expect(burst).toHaveLength(DEALS);
  expect(new Set(burst).size).toBe(DEALS);
  const persons = onec
    .list("ut11", "Catalog_КонтактныеЛицаПартнеров")
    .map((p) => String(p["Description"]));
  expect(persons.filter((n) => n.endsWith("«Взрыв»"))).toHaveLength(DEALS);
}, 240_000);
