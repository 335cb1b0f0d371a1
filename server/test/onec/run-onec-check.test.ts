import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CheckSideResult } from "../../../shared/check-result.js";
import { runOnecCheck } from "../../src/onec/run-onec-check.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  ONEC_PASSWORD,
  settingsFor,
  startTestOnec,
  type BaseName,
  type OnecEmulator,
} from "./helpers/start-test-onec.js";
import { startWireTap } from "./helpers/start-wire-tap.js";

let emulator: OnecEmulator;
const captured = captureLog("debug");

beforeAll(async () => {
  emulator = await startTestOnec();
});
afterAll(() => emulator.stop());

type CheckOverrides = Parameters<typeof settingsFor>[2];

function check(
  base: BaseName,
  overrides: CheckOverrides = {},
  password: string | null = ONEC_PASSWORD,
  target: OnecEmulator = emulator,
): Promise<CheckSideResult> {
  return runOnecCheck({
    settings: settingsFor(target, base, overrides),
    password,
    log: captured.log,
    timeoutMs: 1_000,
    retryMinDelayMs: 5,
  });
}

/** "id:outcome" per step, the shape a user reads on the settings page. */
const outcomes = (result: CheckSideResult) =>
  result.steps.map((step) => `${step.id}:${step.outcome}`);

const failedStep = (result: CheckSideResult) =>
  result.steps.find((step) => step.outcome === "failed");

describe("runOnecCheck", () => {
  it.each(["ut11", "bp30"] as const)(
    "passes every step for a well-set %s base",
    async (base) => {
      const result = await check(base);

      expect(outcomes(result)).toEqual([
        "onec_reach:ok",
        "onec_auth:ok",
        "onec_profile:ok",
        "onec_objects:ok",
        "onec_rights:ok",
        "onec_contact_kinds:ok",
        "onec_organization:ok",
        "onec_deal_item:ok",
      ]);
      expect(result.ok).toBe(true);
      const titles = result.steps.map((step) => step.title);
      expect(titles.at(-2)).toMatch(/^Read the organization "/);
      expect(titles.at(-1)).toMatch(/^Read the item for the deal's sum "/);
    },
  );

  it("names a wrong publication path as an address problem", async () => {
    const result = await check("ut11", {
      odataUrl: `${emulator.url}/nope/odata/standard.odata`,
    });

    expect(outcomes(result).slice(0, 2)).toEqual([
      "onec_reach:failed",
      "onec_auth:skipped",
    ]);
    expect(failedStep(result)?.serverMessage).toMatch(/HTTP 404/);
    expect(failedStep(result)?.advice).toMatch(
      /standard OData interface enabled/,
    );
  });

  it("names an unreachable host as a connection problem", async () => {
    const result = await check("ut11", {
      odataUrl: "http://127.0.0.1:9/ut11/odata/standard.odata",
    });

    expect(failedStep(result)).toMatchObject({ id: "onec_reach" });
    expect(failedStep(result)?.serverMessage).toMatch(
      /Could not connect to 1C/,
    );
    expect(failedStep(result)?.advice).toMatch(/web server is running/);
  });

  it("names a wrong password as a sign-in problem after reaching 1C", async () => {
    const result = await check("ut11", {}, "wrong");

    expect(outcomes(result).slice(0, 3)).toEqual([
      "onec_reach:ok",
      "onec_auth:failed",
      "onec_profile:skipped",
    ]);
    expect(failedStep(result)?.serverMessage).toMatch(
      /user name or password \(HTTP 401\)/,
    );
    expect(failedStep(result)?.advice).toMatch(
      /Check the 1C user name and password/,
    );
    expect(captured.text()).not.toContain("wrong");
  });

  it("asks for a password when none is stored", async () => {
    emulator.clearRequests();
    const result = await check("ut11", {}, null);

    expect(failedStep(result)).toMatchObject({
      id: "onec_auth",
      advice: "Enter the 1C password in the settings.",
    });
    expect(emulator.requests()).toEqual([]);
  });

  it("names the objects missing from the OData composition", async () => {
    const narrow = await startTestOnec({
      published: {
        ut11: [
          "Catalog_Партнеры",
          "Document_ЗаказКлиента",
          "Catalog_Организации",
        ],
      },
    });
    try {
      const result = await check("ut11", {}, ONEC_PASSWORD, narrow);

      expect(failedStep(result)?.id).toBe("onec_objects");
      expect(failedStep(result)?.serverMessage).toBe(
        "objects not published: Catalog_ВидыКонтактнойИнформации, Catalog_Контрагенты, Catalog_КонтактныеЛицаПартнеров, Catalog_Номенклатура",
      );
      expect(failedStep(result)?.advice).toMatch(
        /Настройка стандартного интерфейса OData/,
      );
    } finally {
      await narrow.stop();
    }
  });

  it("names the profile the base really has", async () => {
    const result = await check("ut11", { odataUrl: emulator.odataUrl("bp30") });

    expect(failedStep(result)).toMatchObject({
      id: "onec_profile",
      advice:
        'Choose the profile "1С:Бухгалтерия предприятия 3.0" in the settings.',
    });
  });

  it("names the objects the user has no right to read, with 1C's message", async () => {
    const denied = "Недостаточно прав для чтения данных (Справочник.Партнеры)";
    const tap = await startWireTap(emulator.url, (request) =>
      request.method === "GET" && request.url.includes("/Catalog_Партнеры?")
        ? {
            status: 403,
            contentType: "application/json;charset=utf-8",
            body: JSON.stringify({
              "odata.error": {
                code: "20",
                message: { lang: "ru", value: denied },
              },
            }),
          }
        : undefined,
    );
    try {
      const result = await check("ut11", {
        odataUrl: `${tap.url}/ut11/odata/standard.odata`,
      });

      expect(failedStep(result)).toMatchObject({
        id: "onec_rights",
        serverMessage: `No right to read Catalog_Партнеры (1C, code 20: «${denied}»)`,
      });
      expect(failedStep(result)?.advice).toMatch(/Удаленный доступ OData/);
    } finally {
      await tap.stop();
    }
  });

  it.each([
    ["not chosen", "", /Choose the organization/],
    [
      "missing from the base",
      "0e000000-0000-4000-8000-0000000000ff",
      /Choose an existing organization/,
    ],
  ])("names an organization %s", async (_case, organizationRef, advice) => {
    const result = await check("bp30", { organizationRef });

    expect(failedStep(result)).toMatchObject({ id: "onec_organization" });
    expect(failedStep(result)?.advice).toMatch(advice);
    expect(result.ok).toBe(false);
  });

  it("names a goods-row column the base does not publish", async () => {
    const column = "Document_ЗаказКлиента.Товары/ВариантОбеспечения";
    emulator.setComposition("ut11", { unpublishedFields: [column] });
    try {
      const result = await check("ut11");

      expect(failedStep(result)).toMatchObject({
        id: "onec_objects",
        serverMessage: `fields not published: ${column}`,
      });
    } finally {
      emulator.reset();
    }
  });

  it.each([
    ["not chosen", "", /^Choose the item for the deal's sum in the settings/],
    [
      "missing from the base",
      "0e000000-0000-4000-8000-0000000000ee",
      /^Choose an existing item for the deal's sum/,
    ],
  ])("names an item for the deal's sum %s", async (_case, ref, advice) => {
    const result = await check("ut11", { dealItemRef: ref });

    expect(failedStep(result)).toMatchObject({ id: "onec_deal_item" });
    expect(failedStep(result)?.advice).toMatch(advice);
    expect(result.ok).toBe(false);
  });

  it("shows 1C's code and message in the failed step", async () => {
    emulator.injectFault({ kind: "access_denied", count: 1 });
    try {
      const result = await check("ut11");

      expect(failedStep(result)?.id).toBe("onec_auth");
      expect(failedStep(result)?.serverMessage).toMatch(
        /^The 1C user has no right to read the OData root: .* \(1C, code 20: «Ошибка прав доступа»\)$/,
      );
    } finally {
      emulator.clearFaults();
    }
  });
});
