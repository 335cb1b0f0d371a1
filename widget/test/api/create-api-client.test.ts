import { describe, expect, it } from "vitest";

import { createApiClient } from "../../src/api/create-api-client.js";
import { oauthSettings } from "../fixtures/settings-views.js";
import { createFakeTransport } from "../helpers/create-fake-transport.js";
import type { Reply } from "../helpers/create-fake-transport.js";

function clientWith(
  routes: Record<string, Reply>,
  baseUrl = "https://amo1c.example.com/",
) {
  const fake = createFakeTransport(routes);
  return {
    api: createApiClient({ baseUrl, transport: fake.transport }),
    ...fake,
  };
}

describe("createApiClient", () => {
  it("sends the settings as the PUT body to the backend URL without a doubled slash", async () => {
    const view = oauthSettings();
    const { api, requests } = clientWith({
      "PUT /api/v1/settings": { status: 200, body: view },
    });
    const input = {
      amocrm: { host: "acme.amocrm.ru" },
      onec: {
        odataUrl: "https://1c.example.com/ut/odata/standard.odata",
        user: "amo1c",
        profile: "ut11" as const,
        timeZone: "Europe/Moscow",
      },
      exchange: {},
    };

    await expect(api.saveSettings(input)).resolves.toEqual(view);
    expect(requests).toEqual([
      {
        method: "PUT",
        url: "https://amo1c.example.com/api/v1/settings",
        body: input,
      },
    ]);
  });

  it("turns an amo1c error body into an ApiError with its code and fields", async () => {
    const { api } = clientWith({
      "PUT /api/v1/settings": {
        status: 400,
        body: {
          error: {
            code: "validation_failed",
            message: "Some settings are invalid",
            fields: {
              "onec.odataUrl": "the URL must end with /odata/standard.odata",
            },
          },
        },
      },
    });

    await expect(api.saveSettings({} as never)).rejects.toMatchObject({
      code: "validation_failed",
      status: 400,
      message: "Some settings are invalid",
      fields: {
        "onec.odataUrl": "the URL must end with /odata/standard.odata",
      },
    });
  });

  it("reports a request that got no answer as an unreachable backend", async () => {
    const { api } = clientWith({
      "GET /api/v1/deals/7": { status: 0, body: null },
    });

    await expect(api.getDeal(7)).rejects.toMatchObject({
      code: "backend_unreachable",
      status: 0,
      baseUrl: "https://amo1c.example.com",
    });
  });

  it("reports an answer that is not amo1c's as a bad response", async () => {
    const { api } = clientWith({
      "POST /api/v1/deals/7/sync": {
        status: 502,
        body: "<html>Bad gateway</html>",
      },
    });

    await expect(api.syncDeal(7)).rejects.toMatchObject({
      code: "bad_response",
      status: 502,
      message: "HTTP 502",
    });
  });

  it("refuses to call anything while the backend URL is not set", async () => {
    const { api, requests } = clientWith({}, "  ");

    await expect(api.getSettings()).rejects.toMatchObject({
      code: "backend_url_missing",
    });
    expect(requests).toHaveLength(0);
  });
});
