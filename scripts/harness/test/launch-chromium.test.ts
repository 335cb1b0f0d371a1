import { describe, expect, test } from "vitest";

import { chromiumPresent } from "../launch-chromium.js";

const MISSING = "/nonexistent/amo1c-test/chromium";

describe("chromiumPresent", () => {
  test("fails the run under CI=true when Chromium is missing", () => {
    expect(() =>
      chromiumPresent({
        suite: "the widget browser tests",
        path: MISSING,
        env: { CI: "true" },
      }),
    ).toThrow(
      `${MISSING} is not installed, and CI must run the widget browser tests`,
    );
  });

  test("skips locally and prints why", () => {
    const printed: string[] = [];

    const present = chromiumPresent({
      suite: "the widget browser tests",
      path: MISSING,
      env: {},
      print: (line) => printed.push(line),
    });

    expect(present).toBe(false);
    expect(printed).toEqual([
      `${MISSING} is not installed: skipping the widget browser tests\n`,
    ]);
  });

  test("treats CI=false as a local run", () => {
    const present = chromiumPresent({
      suite: "x",
      path: MISSING,
      env: { CI: "false" },
      print: () => undefined,
    });

    expect(present).toBe(false);
  });

  test("runs when the browser is there, CI or not", () => {
    const env = { CI: "true" };
    expect(chromiumPresent({ suite: "x", path: process.execPath, env })).toBe(
      true,
    );
  });
});
