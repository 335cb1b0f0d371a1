import { readFile } from "node:fs/promises";

import { expect, it } from "vitest";

import {
  LONG_LIVED_EXPIRY_STEPS,
  OAUTH_EXPIRY_STEPS,
} from "../../src/amocrm/connection-view.js";

/** The widget's setup.expiry_<mode>_<n> strings, in order. */
async function widgetSteps(lang: string, mode: string): Promise<string[]> {
  const url = new URL(`../../../widget/src/i18n/${lang}.json`, import.meta.url);
  const { setup } = JSON.parse(await readFile(url, "utf8")) as {
    setup: Record<string, string>;
  };
  return Object.entries(setup)
    .filter(([key]) => key.startsWith(`expiry_${mode}_`))
    .map(([, text]) => text);
}

it("gives the widget's English expiry steps as the server words them", async () => {
  expect(await widgetSteps("en", "long_lived")).toEqual(
    LONG_LIVED_EXPIRY_STEPS,
  );
  expect(await widgetSteps("en", "oauth")).toEqual(OAUTH_EXPIRY_STEPS);
  expect(await widgetSteps("ru", "long_lived")).toHaveLength(
    LONG_LIVED_EXPIRY_STEPS.length,
  );
  expect(await widgetSteps("ru", "oauth")).toHaveLength(
    OAUTH_EXPIRY_STEPS.length,
  );
});
