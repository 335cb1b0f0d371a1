import { describe, expect, it } from "vitest";

import {
  mapOnecAnswer,
  mapOnecNetworkError,
} from "../../src/onec/map-onec-error.js";

const request = {
  method: "POST",
  url: "http://1c.example/ut/odata/standard.odata/Document_ЗаказКлиента?$format=json",
  entitySet: "Document_ЗаказКлиента",
};

const odataError = (code: string, message: string) =>
  JSON.stringify({
    "odata.error": { code, message: { lang: "ru", value: message } },
  });

const json = "application/json;charset=utf-8";
const html = "text/html;charset=utf-8";

describe("mapOnecAnswer", () => {
  it.each([
    [500, "-1", "onec_business_error", false],
    [404, "8", "onec_entity_not_published", false],
    [404, "9", "onec_not_found", false],
    [400, "10", "onec_field_not_published", false],
    [403, "20", "onec_access_denied", false],
    [400, "14", "onec_request_failed", false],
    [400, "15", "onec_request_failed", false],
    [503, "-1", "onec_unavailable", true],
  ])(
    "maps HTTP %i with code %s to %s (retryable %s)",
    (status, code, expected, retryable) => {
      const error = mapOnecAnswer(
        { status, contentType: json, body: odataError(code, "Текст 1С") },
        request,
      );

      expect(error).toMatchObject({
        code: expected,
        source: "onec",
        retryable,
        remote: { status, code, message: "Текст 1С" },
      });
    },
  );

  it("keeps 1C's Russian message verbatim in a business refusal", () => {
    const message = 'Не заполнено поле "Соглашение"!';
    const error = mapOnecAnswer(
      { status: 500, contentType: json, body: odataError("-1", message) },
      request,
    );

    expect(error.message).toBe(
      `1C refused to save Document_ЗаказКлиента: ${message}`,
    );
    expect(error.remote?.message).toBe(message);
  });

  it.each([
    [401, "text/plain", "Unauthorized", "onec_unauthorized", false],
    [403, html, "<html>Forbidden</html>", "onec_access_denied", false],
    [
      404,
      html,
      "<html><title>404 - File or directory not found.</title></html>",
      "onec_not_published",
      false,
    ],
    [502, html, "<html>Bad gateway</html>", "onec_unavailable", true],
    [503, html, "<html>503</html>", "onec_unavailable", true],
    [504, "", "", "onec_unavailable", true],
    [500, html, "<html>Internal error</html>", "onec_request_failed", false],
    [302, html, "", "onec_not_published", false],
  ])(
    "maps a non-OData HTTP %i (%s) to %s",
    (status, contentType, body, expected, retryable) => {
      expect(
        mapOnecAnswer({ status, contentType, body }, request),
      ).toMatchObject({
        code: expected,
        retryable,
      });
    },
  );

  it("names the host and status of an outage, leaving the promise of a retry to the caller", () => {
    const error = mapOnecAnswer(
      { status: 503, contentType: html, body: "<html>503</html>" },
      request,
    );

    expect(error.message).toBe(
      "1C at 1c.example is temporarily unavailable (HTTP 503)",
    );
  });

  it("reads an HTML login page answered with HTTP 200 as a credentials problem", () => {
    const body =
      '<html><head><title>1С:Предприятие</title></head><body><form><input name="password" type="password"></form></body></html>';
    const error = mapOnecAnswer(
      { status: 200, contentType: html, body },
      request,
    );

    expect(error).toMatchObject({
      code: "onec_unauthorized",
      retryable: false,
    });
    expect(error.message).toMatch(/login page/);
  });

  it("reads another HTML page with HTTP 200 as a wrong address", () => {
    const error = mapOnecAnswer(
      {
        status: 200,
        contentType: html,
        body: "<html><title>Welcome</title></html>",
      },
      request,
    );

    expect(error).toMatchObject({ code: "onec_bad_response" });
    expect(error.message).toMatch(/\/odata\/standard\.odata/);
  });

  it("says a 404 for a long query string means the URL is too long", () => {
    const url = `${request.url}&$filter=${"a".repeat(2000)}`;
    const error = mapOnecAnswer(
      { status: 404, contentType: html, body: "<html>404</html>" },
      { ...request, url },
    );

    expect(error).toMatchObject({ code: "onec_request_failed" });
    expect(error.message).toMatch(/too long/);
  });
});

describe("mapOnecNetworkError", () => {
  it("reports a timeout as retryable unavailability with the limit", () => {
    const error = mapOnecNetworkError(
      { code: "ECONNABORTED", message: "timeout of 15000ms exceeded" },
      request,
      15_000,
    );

    expect(error).toMatchObject({
      code: "onec_unavailable",
      retryable: true,
      status: 504,
    });
    expect(error.message).toBe("1C at 1c.example did not answer within 15 s");
  });

  it("reports a refused connection with its code", () => {
    const error = mapOnecNetworkError(
      { code: "ECONNREFUSED", message: "connect ECONNREFUSED" },
      request,
      15_000,
    );

    expect(error).toMatchObject({ code: "onec_unavailable", retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
