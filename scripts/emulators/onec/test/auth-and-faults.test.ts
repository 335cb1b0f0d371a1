import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startOnecEmulator } from "../start-onec-emulator.js";
import type { OnecEmulator } from "../start-onec-emulator.js";
import { callOdata, odataError } from "./helpers/odata-client.js";

let emulator: OnecEmulator;

beforeAll(async () => {
  emulator = await startOnecEmulator({
    port: 0,
    user: "Бухгалтер Ёлкина",
    password: "пароль",
  });
});
afterEach(() => {
  emulator.clearFaults();
  emulator.setDown(false);
  emulator.clearRequests();
  emulator.reset();
});
afterAll(() => emulator.stop());

const asUser = { user: "Бухгалтер Ёлкина", password: "пароль" };

describe("Basic auth", () => {
  it("accepts a Cyrillic user encoded as UTF-8", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);

    expect(result.status).toBe(200);
  });

  it("answers 401 with WWW-Authenticate and a non-JSON body on a wrong password", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Валюты", {
      ...asUser,
      password: "нет",
    });

    expect(result.status).toBe(401);
    expect(result.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(result.headers.get("content-type")).not.toMatch(/json/);
  });
});

describe("faults", () => {
  it("answers 503 HTML to every request while down", async () => {
    emulator.setDown(true);
    const result = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);

    expect(result.status).toBe(503);
    expect(result.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("answers a status503 fault only for its method and count", async () => {
    emulator.injectFault({ kind: "status503", count: 1, method: "POST" });
    const read = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);
    const first = await callOdata(emulator, "ut11", "Catalog_Склады", {
      ...asUser,
      method: "POST",
      body: { Description: "Склад 2" },
    });
    const second = await callOdata(emulator, "ut11", "Catalog_Склады", {
      ...asUser,
      method: "POST",
      body: { Description: "Склад 2" },
    });

    expect([read.status, first.status, second.status]).toEqual([200, 503, 201]);
    expect(emulator.list("ut11", "Catalog_Склады")).toHaveLength(2);
  });

  it("refuses a write with code -1 and a Russian message on business_refusal", async () => {
    emulator.injectFault({
      kind: "business_refusal",
      count: 1,
      entitySet: "Catalog_Склады",
    });
    const result = await callOdata(emulator, "ut11", "Catalog_Склады", {
      ...asUser,
      method: "POST",
      body: { Description: "Склад 2" },
    });

    expect(result.status).toBe(500);
    expect(odataError(result)).toEqual({
      code: "-1",
      message: 'Не удалось записать "Catalog_Склады"!',
    });
    expect(emulator.list("ut11", "Catalog_Склады")).toHaveLength(1);
  });

  it("applies the write of a timeout fault but never answers", async () => {
    emulator.injectFault({ kind: "timeout", count: 1, method: "POST" });
    const pending = callOdata(emulator, "ut11", "Catalog_Склады", {
      ...asUser,
      method: "POST",
      body: {
        Ref_Key: "0b9cf3a2-52d5-4a55-9a3c-2f1a0c2b7d11",
        Description: "Склад 2",
      },
    });
    const outcome = await Promise.race([
      pending.then(
        () => "answered",
        () => "failed",
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 300)),
    ]);

    expect(outcome).toBe("no answer");
    expect(
      emulator.get(
        "ut11",
        "Catalog_Склады",
        "0b9cf3a2-52d5-4a55-9a3c-2f1a0c2b7d11",
      )?.Description,
    ).toBe("Склад 2");
    expect(emulator.requests().at(-1)).toMatchObject({
      method: "POST",
      status: 0,
    });
    pending.catch(() => undefined);
  });

  it("answers 403 with code 20 on access_denied", async () => {
    emulator.injectFault({
      kind: "access_denied",
      count: 1,
      entitySet: "Catalog_Валюты",
    });
    const result = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);

    expect([result.status, odataError(result)]).toEqual([
      403,
      { code: "20", message: "Ошибка прав доступа" },
    ]);
  });

  it("answers 200 with an HTML login page on html_login", async () => {
    emulator.injectFault({ kind: "html_login", count: 1 });
    const result = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);

    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toMatch(/^text\/html/);
  });
});

describe("admin API over HTTP", () => {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${emulator.url}/__admin${path}`, {
      ...init,
      headers: { "Content-Type": "application/json" },
    });

  it("inserts, lists and resets objects", async () => {
    const inserted = await admin(
      `/ut11/${encodeURIComponent("Catalog_Склады")}`,
      {
        method: "POST",
        body: JSON.stringify({ Description: "Склад 2" }),
      },
    );
    const { Ref_Key } = (await inserted.json()) as { Ref_Key: string };
    const listed = (await (
      await admin(`/ut11/${encodeURIComponent("Catalog_Склады")}`)
    ).json()) as unknown[];

    expect(listed).toHaveLength(2);
    expect(emulator.get("ut11", "Catalog_Склады", Ref_Key)?.Code).toBe(
      "000000002",
    );

    await admin("/reset", { method: "POST" });
    expect(emulator.list("ut11", "Catalog_Склады")).toHaveLength(1);
  });

  it("records decoded requests and sets config and faults", async () => {
    await admin("/config", {
      method: "PUT",
      body: JSON.stringify({ latencyMs: 0, down: true }),
    });
    const down = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);
    await admin("/config", {
      method: "PUT",
      body: JSON.stringify({ down: false }),
    });
    await admin("/faults", {
      method: "POST",
      body: JSON.stringify({ kind: "status503", count: 1 }),
    });
    const faulted = await callOdata(emulator, "ut11", "Catalog_Валюты", asUser);
    const requests = (await (await admin("/requests")).json()) as {
      path: string;
      query: string;
      status: number;
    }[];

    expect([down.status, faulted.status]).toEqual([503, 503]);
    expect(requests.map((r) => r.status)).toEqual([503, 503]);
    expect(requests[0]?.path).toBe("/ut11/odata/standard.odata/Catalog_Валюты");
    expect(requests[0]?.query).toBe("$format=json");
  });

  it("changes the published fields: $metadata and writes follow", async () => {
    const hide = (unpublishedFields: string[]) =>
      admin("/composition/ut11", {
        method: "PUT",
        body: JSON.stringify({ unpublishedFields }),
      });
    const partnerType = async () => {
      const xml = (
        await callOdata(emulator, "ut11", "$metadata", { ...asUser, raw: true })
      ).text;
      return /<EntityType Name="Catalog_Партнеры">[^]*?<\/EntityType>/.exec(
        xml,
      )?.[0];
    };
    const storedComment = async () => {
      const created = await callOdata(emulator, "ut11", "Catalog_Партнеры", {
        ...asUser,
        method: "POST",
        body: {
          Description: "Ромашка",
          ЮрФизЛицо: "Компания",
          Клиент: true,
          Комментарий: "из amoCRM",
        },
      });
      const ref = String(created.json.Ref_Key);
      return emulator.get("ut11", "Catalog_Партнеры", ref)?.Комментарий;
    };

    await hide(["Catalog_Партнеры.Комментарий"]);
    const hidden = await partnerType();
    const dropped = await storedComment();
    await hide([]);
    const shown = await partnerType();
    const kept = await storedComment();

    expect(hidden).toContain('Name="Description"');
    expect(hidden).not.toContain('Name="Комментарий"');
    expect(dropped).toBe("");
    expect(shown).toContain('Name="Комментарий"');
    expect(kept).toBe("из amoCRM");
  });

  it("refuses a malformed fault with 400", async () => {
    const result = await admin("/faults", {
      method: "POST",
      body: JSON.stringify({ kind: "boom", count: 1 }),
    });

    expect(result.status).toBe(400);
  });
});
