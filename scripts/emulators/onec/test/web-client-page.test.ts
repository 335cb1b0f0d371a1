import { afterAll, beforeAll, expect, test } from "vitest";

import {
  startOnecEmulator,
  type OnecEmulator,
} from "../start-onec-emulator.js";

let emulator: OnecEmulator;

beforeAll(async () => {
  emulator = await startOnecEmulator();
});
afterAll(async () => emulator.stop());

test("answers the web client's address with a page that opens navigation links", async () => {
  const res = await fetch(`${emulator.url}/ut11/ru_RU/`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
  const page = await res.text();
  expect(page).toContain("база ut11");
  expect(page).toContain("e1cib\\/data");
});
