import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

import { createSyncedDeal } from "./create-synced-deal.js";
import {
  chromiumPresent,
  launchChromium,
} from "../../../scripts/harness/launch-chromium.js";
import { prepareWidgetBundle } from "./prepare-widget-bundle.js";
import type { WidgetBundle } from "./prepare-widget-bundle.js";
import { ranSince, waitForDeal } from "./stand-client.js";
import { startHarnessStand } from "./start-harness-stand.js";
import type { HarnessStand } from "./start-harness-stand.js";

const SCREENSHOT_DIR = "test-results";
/**
 * Webhooks folded for 0.3 s. A failed run's first retry waits 30 to 60 s,
 * longer than the outage test's steps: only the user's Re-sync can bring
 * the run to "done" in time.
 */
const FAST_QUEUE = { debounceMs: 300, pollMs: 50, backoffBaseMs: 60_000 };
const VIEWPORT = { width: 1280, height: 760 };
/** How long a text may take to appear before the test fails. */
const UI_TIMEOUT_MS = 10_000;
/**
 * amo1c's 1C client retries a 503 for about 3.5 s before the run is
 * recorded as waiting; the widget then polls every 2 s.
 */
const OUTAGE_STEP_MS = 20_000;
const OUTAGE_TEST_MS = 60_000;
const MARKUP_NAME = "<img src=x onerror=alert(1)>";

const chromiumMissing = !chromiumPresent({
  suite: "the widget browser tests",
});

let bundle: WidgetBundle;
let browser: Browser;

beforeAll(async () => {
  if (chromiumMissing) return;
  [bundle, browser] = await Promise.all([
    prepareWidgetBundle(),
    launchChromium(),
  ]);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await bundle?.dispose();
});

/** A page that records every alert/confirm the widget might open. */
async function openPage(): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  // Below the test timeout, so a missing text fails with its locator named.
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, dialogs };
}

describe.skipIf(chromiumMissing)("the deal card panel in Chromium", () => {
  let stand: HarnessStand;
  let page: Page;
  let dialogs: string[];
  let panel: Locator;

  beforeAll(async () => {
    stand = await startHarnessStand({
      distDir: bundle.dir,
      queue: FAST_QUEUE,
    });
    ({ page, dialogs } = await openPage());
    panel = page.locator("#harness-card-panel .amo1c-widget");
  });
  afterAll(async () => {
    await page?.close();
    await stand?.stop();
  });
  afterEach(() => stand.onec.setDown(false));

  /** Opens the card as amoCRM does: the widget renders its panel anew. */
  async function openCard(dealId: number): Promise<void> {
    await page.goto(stand.harnessUrl({ deal: dealId, lang: "en" }));
    await panel.getByText("Last exchange").waitFor();
  }

  function panelText(text: string | RegExp): Locator {
    return panel.getByText(text, { exact: true }).first();
  }

  function cardScreenshot(name: string) {
    return page
      .locator(".harness-card")
      .screenshot({ path: join(SCREENSHOT_DIR, name) });
  }

  test("shows the synced deal's counterparty and customer order", async () => {
    const deal = await createSyncedDeal(stand, {
      name: "Поставка стеллажей",
      price: 12_500,
      contactName: "Смирнова Ольга",
      company: { name: "ООО «Северный ветер»", inn: "7728143511" },
    });

    await openCard(deal.dealId);

    await panelText("ООО «Северный ветер»").waitFor();
    await panelText(/^INN 7728143511/).waitFor();
    await panelText("Смирнова Ольга").waitFor();
    await panelText(
      new RegExp(`^No\\. ${deal.order?.number} of \\d{1,2} \\w{3} \\d{4}$`),
    ).waitFor();
    await panelText("RUB 12,500.00").waitFor();
    await panelText("done").waitFor();
    await cardScreenshot("widget-deal-synced.png");
  });

  test("shows the new counterparty once the main contact changed and the card is opened again", async () => {
    const deal = await createSyncedDeal(stand, {
      name: "Ремонт кофемашины",
      price: 4_500,
      contactName: "Иванов Иван",
    });
    await openCard(deal.dealId);
    await panelText("Иванов Иван").waitFor();

    const fedorov = stand.amocrm.createContact({ name: "Федоров Семён" });
    const since = new Date().toISOString();
    stand.amocrm.updateLead(deal.dealId, {
      contacts: [{ id: fedorov, is_main: true }],
    });
    await waitForDeal(stand, deal.dealId, ranSince(since, "ok"));
    // The panel does not listen for changes: amoCRM renders the widget again
    // when the card is opened, which the harness's button replays.
    await page.getByRole("button", { name: "Open deal card" }).click();

    await panelText("Федоров Семён").waitFor();
    await expect(panel.getByText("Иванов Иван").count()).resolves.toBe(0);
    await cardScreenshot("widget-deal-contact-changed.png");
  });

  test(
    "shows 1C's message while 1C is down, then the finished run when Re-sync is clicked after 1C returns",
    async () => {
      const deal = await createSyncedDeal(stand, {
        name: "Срочная отгрузка",
        price: 990,
        contactName: "Петров Пётр",
      });
      await openCard(deal.dealId);

      stand.onec.setDown(true);
      await page.getByRole("button", { name: "Send to 1C again" }).click();

      await panelText("waiting").waitFor({ timeout: OUTAGE_STEP_MS });
      await panelText("In the queue, waiting for the exchange…").waitFor();
      // 1C's outage is named once, with 1C's own answer, then amo1c's
      // promise to retry.
      await panel
        .locator(".amo1c-message")
        .getByText(
          /^1C says: 1C at 127\.0\.0\.1:\d+ is temporarily unavailable \(HTTP 503\) \(1C: 503 Service Unavailable\) \(amo1c will retry\)$/,
        )
        .waitFor();
      await cardScreenshot("widget-resync-1c-down.png");

      stand.onec.setDown(false);
      // The run waits for its retry, yet the button is usable: the manual
      // run goes ahead of the queued retry.
      await page.getByRole("button", { name: "Send to 1C again" }).click();
      await panelText("done").waitFor({ timeout: OUTAGE_STEP_MS });
      await expect(
        panel.getByText("In the queue, waiting for the exchange…").count(),
      ).resolves.toBe(0);
      await expect(panel.getByText("1C says:").count()).resolves.toBe(0);
      await cardScreenshot("widget-resync-recovered.png");
    },
    OUTAGE_TEST_MS,
  );

  test("shows a name written as markup as plain text", async () => {
    // The panel shows the names of the 1C objects made from the deal's
    // contact, so the contact carries the markup too.
    const deal = await createSyncedDeal(stand, {
      name: MARKUP_NAME,
      price: 1,
      contactName: MARKUP_NAME,
    });

    await openCard(deal.dealId);

    await panelText(MARKUP_NAME).waitFor();
    await expect(panel.locator("img").count()).resolves.toBe(0);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    await cardScreenshot("widget-deal-markup-name.png");
  });
});

describe.skipIf(chromiumMissing)("the settings page in Chromium", () => {
  let stand: HarnessStand;
  let page: Page;
  let settings: Locator;

  beforeAll(async () => {
    stand = await startHarnessStand({
      distDir: bundle.dir,
      tokenMode: "oauth",
    });
    ({ page } = await openPage());
    settings = page.locator("#harness-modal .amo1c-widget");
    await page.goto(stand.harnessUrl({ view: "settings", lang: "en" }));
    await settings.getByText("amo1c settings").waitFor();
  });
  afterAll(async () => {
    await page?.close();
    await stand?.stop();
  });

  /** The Save and Check buttons with the Check's steps below them. */
  function settingsScreenshot(name: string) {
    return settings
      .locator(".amo1c-actions")
      .last()
      .screenshot({ path: join(SCREENSHOT_DIR, name) });
  }

  test("lists the Check's steps as passed", async () => {
    await page.getByRole("button", { name: "Check", exact: true }).click();

    await settings.getByText("Everything works", { exact: true }).waitFor();
    const outcomes = await settings
      .locator(".amo1c-check__step > .amo1c-status")
      .allTextContents();
    expect(outcomes).toContain("ok");
    expect(outcomes).not.toContain("failed");
    await settingsScreenshot("widget-settings-check-ok.png");
  });

  test("shows amoCRM's hint when the saved authorization code is wrong", async () => {
    stand.amocrm.expireRefreshTokens();
    await settings.getByLabel("Authorization code").fill("not-a-real-code");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await settings.getByText("Saved", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Check", exact: true }).click();

    await settings.getByText("The check found problems").waitFor();
    const codeStep = settings.getByRole("listitem").filter({
      hasText: "amoCRM did not give tokens for the authorization code",
    });
    await codeStep.getByText(/Cannot decrypt the authorization code/).waitFor();
    await codeStep.getByText(/copy a fresh code/).waitFor();
    const status = settings.getByRole("status").filter({
      hasText: "Connection",
    });
    await status.getByText("needs attention", { exact: true }).waitFor();
    await settingsScreenshot("widget-settings-check-wrong-code.png");
  });
});
