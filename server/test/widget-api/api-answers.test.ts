import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DealView } from "../../../shared/deal-view.js";
import type { ErrorBody } from "../../../shared/error-codes.js";
import type { SettingsView } from "../../../shared/settings.js";
import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({
    queue: { debounceMs: 0, pollMs: 50, maxAttempts: 1 },
  });
});
afterAll(async () => stand?.stop());

async function errorOf(res: Response): Promise<ErrorBody["error"]> {
  return ((await res.json()) as ErrorBody).error;
}

function call(method: string, path: string, body?: string) {
  return fetch(`${stand.url}${path}`, {
    method,
    headers: {
      "x-auth-token": stand.widgetToken(),
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body }),
  });
}

describe("widget API answers", () => {
  it("leads a settings refusal with the field the caller sent wrongly", async () => {
    const res = await call(
      "PUT",
      "/api/v1/settings",
      JSON.stringify({ onec: { odataUrl: 5 } }),
    );

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/^Check the field onec\.odataUrl: /);
    expect(error.fields).toHaveProperty("amocrm");
  });

  it("refuses a misspelt field by its path and keeps the stored password", async () => {
    const view = (await (
      await call("GET", "/api/v1/settings")
    ).json()) as SettingsView;
    const { passwordSet: _passwordSet, ...onec } = view.onec!;
    const before = await stand.amo1c.secrets.get("onec.password");
    const input = {
      amocrm: {
        host: view.amocrm.host,
        longLivedToken: view.amocrm.longLivedToken,
        tokenExpiresOn: view.amocrm.tokenExpiresOn,
        warnDaysBeforeExpiry: view.amocrm.warnDaysBeforeExpiry,
      },
      onec: { ...onec, passwrd: "new-password" },
      exchange: view.exchange,
    };

    const res = await call("PUT", "/api/v1/settings", JSON.stringify(input));

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.message).toBe(
      "Check the field onec.passwrd: amo1c has no such setting: check its spelling or remove it",
    );
    expect(Object.keys(error.fields ?? {})).toEqual(["onec.passwrd"]);
    expect(await stand.amo1c.secrets.get("onec.password")).toBe(before);
    expect(before).not.toBeNull();
  });

  it("says a JSON object is expected when the body is JSON null", async () => {
    const res = await call("PUT", "/api/v1/settings", "null");

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: "bad_request" });
    expect(error.message).toMatch(
      /^Request body must be a JSON object, not null/,
    );
  });

  it("keeps 'not valid JSON' for a body that is not JSON", async () => {
    const res = await call("PUT", "/api/v1/settings", "{oops");

    expect((await errorOf(res)).message).toBe("Request body is not valid JSON");
  });

  it("answers 404 when amoCRM has no such deal, and the view is not synced", async () => {
    const res = await call("POST", "/api/v1/deals/42/sync");

    expect(res.status).toBe(404);
    const error = await errorOf(res);
    expect(error.code).toBe("not_found");
    expect(error.message).toMatch(/^amoCRM has no deal 42/);

    const res2 = await call("GET", "/api/v1/deals/42");
    const view = (await res2.json()) as DealView;
    expect(view.synced).toBe(false);
    expect(view.lastRun).toMatchObject({
      status: "skipped",
      errorSource: "amocrm",
      errorCode: "not_found",
    });
  });
});
