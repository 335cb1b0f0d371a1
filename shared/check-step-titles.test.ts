import { readFile } from "node:fs/promises";

import { describe, expect, test } from "vitest";

import { CHECK_STEP_TITLES, stepTitle } from "./check-step-titles.js";

async function readMessages(lang: string): Promise<Record<string, object>> {
  const url = new URL(`../widget/src/i18n/${lang}.json`, import.meta.url);
  return JSON.parse(await readFile(url, "utf8")) as Record<string, object>;
}

describe("the Check's step titles", () => {
  test("fill the values they name and carry them for a translation", () => {
    expect(stepTitle("onec_auth_user", { user: "amo1c" })).toEqual({
      title: "Sign in to 1C as amo1c",
      titleKey: "onec_auth_user",
      titleParams: { user: "amo1c" },
    });
    expect(stepTitle("onec_auth")).toEqual({
      title: "Sign in to 1C",
      titleKey: "onec_auth",
    });
  });

  test("are the widget's English, key for key, and all in Russian", async () => {
    const english = new Map(
      Object.entries(CHECK_STEP_TITLES).map(([key, title]) => [
        `step_${key}`,
        title,
      ]),
    );
    for (const lang of ["en", "ru"]) {
      const check = (await readMessages(lang)).check as Record<string, string>;
      const steps = Object.keys(check).filter((key) => key.startsWith("step_"));
      expect(steps.sort(), lang).toEqual([...english.keys()].sort());
    }
    const { check } = await readMessages("en");
    for (const [key, title] of english)
      expect((check as Record<string, string>)[key], key).toBe(title);
  });
});
