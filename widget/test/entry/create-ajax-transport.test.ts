import { describe, expect, it } from "vitest";

import type {
  AuthorizedAjaxOptions,
  DeferredLike,
  JqXhrLike,
} from "../../src/entry/amocrm-host.js";
import { createAjaxTransport } from "../../src/entry/create-ajax-transport.js";

type Outcome =
  { ok: true; body: unknown; xhr: JqXhrLike } | { ok: false; xhr: JqXhrLike };

/** The done/fail half of a jQuery Deferred, settled with a fixed outcome. */
function settled(outcome: Outcome): DeferredLike {
  const deferred: DeferredLike = {
    done(callback) {
      if (outcome.ok) callback(outcome.body, "success", outcome.xhr);
      return deferred;
    },
    fail(callback) {
      if (!outcome.ok) callback(outcome.xhr);
      return deferred;
    },
  };
  return deferred;
}

describe("createAjaxTransport", () => {
  it("sends a JSON body with its content type through $authorizedAjax", async () => {
    const calls: AuthorizedAjaxOptions[] = [];
    const transport = createAjaxTransport((options) => {
      calls.push(options);
      return settled({ ok: true, body: { saved: true }, xhr: { status: 200 } });
    });

    const response = await transport({
      method: "PUT",
      url: "https://amo1c.example.com/api/v1/settings",
      body: { exchange: { innFieldId: 5 } },
    });

    expect(response).toEqual({ status: 200, body: { saved: true } });
    expect(calls).toEqual([
      {
        url: "https://amo1c.example.com/api/v1/settings",
        method: "PUT",
        dataType: "json",
        data: '{"exchange":{"innFieldId":5}}',
        contentType: "application/json",
      },
    ]);
  });

  it("sends a GET without a body or content type", async () => {
    const calls: AuthorizedAjaxOptions[] = [];
    const transport = createAjaxTransport((options) => {
      calls.push(options);
      return settled({ ok: true, body: {}, xhr: { status: 200 } });
    });

    await transport({ method: "GET", url: "https://amo1c.example.com/x" });

    expect(calls[0]).not.toHaveProperty("data");
    expect(calls[0]).not.toHaveProperty("contentType");
  });

  it("passes on the status and error body of a failed request", async () => {
    const body = { error: { code: "widget_token_invalid", message: "bad" } };
    const transport = createAjaxTransport(() =>
      settled({
        ok: false,
        xhr: { status: 401, responseText: JSON.stringify(body) },
      }),
    );

    await expect(transport({ method: "GET", url: "u" })).resolves.toEqual({
      status: 401,
      body,
    });
  });

  it("answers status 0 when the request never reached a server", async () => {
    const transport = createAjaxTransport(() =>
      settled({ ok: false, xhr: { status: 0, responseText: "" } }),
    );

    await expect(transport({ method: "GET", url: "u" })).resolves.toEqual({
      status: 0,
      body: null,
    });
  });
});
