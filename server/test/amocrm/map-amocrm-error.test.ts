import { describe, expect, it } from "vitest";

import { FRESH_CODE_ADVICE } from "../../src/amocrm/advise-on-amocrm-error.js";
import {
  mapAmocrmError,
  scrubUrl,
  type FailedExchange,
} from "../../src/amocrm/map-amocrm-error.js";

const BASE: FailedExchange = {
  method: "POST",
  url: "https://acme.amocrm.ru/api/v4/companies",
  status: 400,
  body: "",
  requestId: "abc123",
  purpose: "api",
};

describe("mapAmocrmError", () => {
  it("says once that amoCRM did not answer, then what to check", () => {
    const error = mapAmocrmError({
      ...BASE,
      status: 0,
      networkCode: "ECONNREFUSED",
    });

    expect(error.message).toBe(
      "amoCRM did not answer (ECONNREFUSED). Check that this server reaches amoCRM (DNS, firewall, proxy) and try again in a few minutes.",
    );
    expect(error.remote).toMatchObject({ status: 0 });
  });

  it("names the field amoCRM's validation refused", () => {
    const body = JSON.stringify({
      "validation-errors": [
        {
          request_id: "0",
          errors: [
            {
              code: "NotSupportedChoice",
              path: "custom_fields_values.0.field_id",
              detail: "The value you selected is not a valid choice.",
            },
          ],
        },
      ],
      title: "Bad Request",
      type: "https://httpstatus.es/400",
      status: 400,
      detail: "Request validation failed",
    });

    const error = mapAmocrmError({ ...BASE, body });

    expect(error).toMatchObject({
      code: "amocrm_request_failed",
      retryable: false,
      source: "amocrm",
      remote: {
        status: 400,
        message:
          "400 Bad Request (Request validation failed; custom_fields_values.0.field_id NotSupportedChoice The value you selected is not a valid choice.)",
      },
    });
  });

  it("treats an expired authorization code as terminal with plain advice", () => {
    const body = JSON.stringify({
      hint: "Authorization code has expired",
      title: "Некорректный запрос",
      status: 400,
    });

    const error = mapAmocrmError({
      ...BASE,
      url: "https://acme.amocrm.ru/oauth2/access_token",
      body,
      purpose: "authorization_code",
    });

    expect(error).toMatchObject({
      code: "amocrm_code_exchange_failed",
      retryable: false,
      remote: { status: 400, code: "Authorization code has expired" },
    });
    expect(error.message).toBe(
      `amoCRM did not exchange the authorization code for tokens: 400 Authorization code has expired (Некорректный запрос). ${FRESH_CODE_ADVICE}`,
    );
  });

  it("points wrong client credentials at the environment", () => {
    const body = JSON.stringify({
      hint: "Check the `client_secret` parameter",
      status: 400,
    });

    const error = mapAmocrmError({ ...BASE, body, purpose: "refresh_token" });

    expect(error.message).toContain(
      "Compare AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET",
    );
  });

  it("keeps query secrets out of the kept URL", () => {
    expect(scrubUrl("https://acme.amocrm.ru/x?code=def502&page=2")).toBe(
      "https://acme.amocrm.ru/x?code=%5Bredacted%5D&page=2",
    );
  });
});
