import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { syncedDeal } from "../../../widget/test/fixtures/deal-views.js";
import { oauthSettings } from "../../../widget/test/fixtures/settings-views.js";
import { buildWidgetBundle } from "../build-widget-bundle.js";
import { chromiumPresent, launchChromium } from "../launch-chromium.js";
import { startSmokeTestStandIn } from "./start-smoke-test-stand-in.js";
import type { SmokeTestStandIn } from "./start-smoke-test-stand-in.js";

const SCREENSHOT_DIR = "test-results";
const LONG_NAME =
  "Общество с ограниченной ответственностью «Торговый дом Весна и партнёры Северо-Запад»";

const hasChromium = chromiumPresent({ suite: "the harness smoke test" });

describe.skipIf(!hasChromium)("the harness page with the built widget", () => {
  let workDir = "";
  let standIn: SmokeTestStandIn;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "amo1c-harness-"));
    await buildWidgetBundle(workDir);
    const deal = syncedDeal();
    deal.counterparty = { ...deal.counterparty!, name: LONG_NAME };
    standIn = await startSmokeTestStandIn({
      distDir: workDir,
      deal,
      settings: oauthSettings(),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await standIn?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("shows the deal panel, loaded through RequireJS, with one-time tokens", async () => {
    await page.goto(`${standIn.url}/harness/?deal=4242&lang=ru`);

    const name = page.locator(".amo1c-widget .amo1c-text", {
      hasText: LONG_NAME,
    });
    await name.waitFor();
    await expect(
      page.locator(".amo1c-widget").textContent(),
    ).resolves.toContain("№ УТ-000123");
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "widget-harness-deal-card.png"),
    });

    expect(standIn.receivedTokens).toEqual(["smoke-token-1"]);
  });

  it("cuts the long counterparty name with an ellipsis inside the panel", async () => {
    const name = page.locator(".amo1c-widget .amo1c-text", {
      hasText: LONG_NAME,
    });

    const box = await name.evaluate((element) => ({
      overflow:
        element.ownerDocument.defaultView?.getComputedStyle(element)
          .textOverflow,
      cut: element.scrollWidth > element.clientWidth,
      title: element.getAttribute("title"),
    }));
    expect(box).toEqual({ overflow: "ellipsis", cut: true, title: LONG_NAME });
  });

  it("opens the settings page in the modal", async () => {
    await page.goto(`${standIn.url}/harness/?view=settings&lang=ru`);

    await page.getByText("Настройки amo1c").waitFor();
    await page.getByText("Адрес для вебхуков").waitFor();
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "widget-harness-settings.png"),
      fullPage: true,
    });
  });
});
