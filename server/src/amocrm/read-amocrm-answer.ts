import type { AxiosResponse } from "axios";

import { AppError } from "../errors.js";
import type { AmocrmRequest, AmocrmResponse } from "./http-types.js";
import { AmocrmHttpFailure, mapAmocrmError } from "./map-amocrm-error.js";

/** A 2xx answer parsed, anything else thrown as the mapped AppError. */
export function readAmocrmAnswer(
  url: string,
  request: AmocrmRequest,
  response: AxiosResponse,
  requestId: string | null,
): AmocrmResponse {
  const body = typeof response.data === "string" ? response.data : "";
  const failure = {
    method: request.method,
    url,
    status: response.status,
    body,
    requestId,
    purpose: request.purpose ?? "api",
  } as const;
  if (response.status < 200 || response.status >= 300)
    throw mapAmocrmError(failure);

  // 204 is amoCRM's "nothing found" on reads (reference amocrm §3.8).
  if (body.trim() === "")
    return { status: response.status, data: null, requestId };
  try {
    return { status: response.status, data: JSON.parse(body), requestId };
  } catch {
    throw new AppError(
      "amocrm_request_failed",
      `amoCRM answered ${request.method} ${new URL(url).pathname} with a body that is not JSON; see the server log`,
      {
        status: 502,
        source: "amocrm",
        cause: new AmocrmHttpFailure(failure),
        remote: { status: response.status },
      },
    );
  }
}

/** No answer at all (reset, timeout, refused connection). */
export function describeNetworkFailure(
  url: string,
  request: AmocrmRequest,
  cause: unknown,
) {
  const networkCode =
    typeof cause === "object" && cause !== null && "code" in cause
      ? String(cause.code)
      : undefined;
  return mapAmocrmError({
    method: request.method,
    url,
    status: 0,
    body: "",
    requestId: null,
    networkCode,
    purpose: request.purpose ?? "api",
  });
}

/** The request counter's outcome label for a status. */
export function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "unauthorized";
  if (status === 403) return "blocked";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "server_error" : "client_error";
}

export function headerOf(response: AxiosResponse, name: string): string | null {
  const value: unknown = response.headers[name];
  return typeof value === "string" ? value : null;
}
