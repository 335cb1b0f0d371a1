import { AppError, type ErrorCode } from "../errors.js";
import { MAX_QUERY_STRING_BYTES } from "./build-odata-url.js";

export interface OnecRequestInfo {
  method: string;
  url: string;
  /** The entity set the request addressed, for messages. */
  entitySet?: string | undefined;
}

export interface OnecAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** The `odata.error` envelope 1C answers with (reference onec §1.11). */
export interface OdataErrorBody {
  code: string;
  message: string;
}

/** OData error code 1C uses when a create repeats an existing Ref_Key. */
export const ONEC_KEY_EXISTS_CODE = "15";

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const HTML_LOGIN_HINTS = /password|пароль|login|логин|авториз|<form/i;

/** Reads `{"odata.error":{"code","message":{"value"}}}`, or null. */
export function readOdataError(body: string): OdataErrorBody | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = (parsed as Record<string, unknown> | null)?.["odata.error"];
    if (!error || typeof error !== "object") return null;
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text =
      typeof message === "string"
        ? message
        : (message as { value?: unknown } | undefined)?.value;
    return { code: String(code ?? ""), message: String(text ?? "") };
  } catch {
    return null;
  }
}

export function isJsonContentType(contentType: string): boolean {
  return /\bjson\b/i.test(contentType);
}

/** Turns a 1C answer that is an error or not JSON into an AppError. */
export function mapOnecAnswer(
  answer: OnecAnswer,
  request: OnecRequestInfo,
): AppError {
  const odataError = isJsonContentType(answer.contentType)
    ? readOdataError(answer.body)
    : null;
  if (odataError) return mapOdataError(odataError, answer.status, request);
  if (RETRYABLE_STATUSES.has(answer.status)) {
    return unavailable(answer.status, request, describeBody(answer));
  }
  if (answer.status === 401) return unauthorized(answer.status, answer);
  if (answer.status === 403) return accessDenied(answer.status, request);
  return mapNonOdataAnswer(answer, request);
}

function mapOdataError(
  error: OdataErrorBody,
  status: number,
  request: OnecRequestInfo,
): AppError {
  const remote = { status, code: error.code, message: error.message };
  const target = request.entitySet ?? "the OData root";
  // amo1c's advice first, then 1C's own words, which the admin can look up.
  const quoted = quoteOnecError(remote);
  const table: Record<string, [ErrorCode, string] | undefined> = {
    "-1": [
      "onec_business_error",
      `1C refused to save ${target}: ${error.message}`,
    ],
    "8": [
      "onec_entity_not_published",
      `1C does not publish ${target} over OData: add it to the OData composition (data processor "Настройка стандартного интерфейса OData") ${quoted}`,
    ],
    "9": ["onec_not_found", `The object was not found in ${target} ${quoted}`],
    "10": [
      "onec_field_not_published",
      `1C does not know a field sent to ${target}: ${error.message}`,
    ],
    "20": [
      "onec_access_denied",
      `The 1C user has no right to ${verbOf(request.method)} ${target}: grant it in 1C (role "Удаленный доступ OData" and rights to the object) ${quoted}`,
    ],
  };

  if (RETRYABLE_STATUSES.has(status)) {
    return unavailable(status, request, error.message, error.code);
  }
  if (status === 401) return unauthorized(status, undefined, remote);
  const [code, message] = table[error.code] ?? [
    "onec_request_failed",
    `1C rejected the request to ${target} (HTTP ${status}, code ${error.code}): ${error.message}`,
  ];
  return new AppError(code, message, {
    status: code === "onec_not_found" ? 404 : 502,
    source: "onec",
    retryable: false,
    remote,
  });
}

/**
 * "(1C, code 9: «…»)": 1C's code and Russian message verbatim, as the
 * contract wants them shown; without a code "(1C: «…»)".
 */
export function quoteOnecError(remote: AppError["remote"]): string {
  const message = remote?.message ?? "";
  if (!message) return remote?.code ? `(1C, code ${remote.code})` : "";
  return remote?.code
    ? `(1C, code ${remote.code}: «${message}»)`
    : `(1C: «${message}»)`;
}

function mapNonOdataAnswer(
  answer: OnecAnswer,
  request: OnecRequestInfo,
): AppError {
  const excerpt = describeBody(answer);
  const remote = { status: answer.status, message: excerpt };
  const queryBytes = request.url.length - request.url.indexOf("?");
  const longUrl =
    request.url.includes("?") && queryBytes > MAX_QUERY_STRING_BYTES;

  if (answer.status === 414 || (answer.status === 404 && longUrl)) {
    return onecError("onec_request_failed", remote, {
      message: `1C's web server refused a request whose address is too long (HTTP ${answer.status}, ${queryBytes} bytes of query); shorten the search`,
    });
  }
  if (answer.status === 404 || answer.status === 405) {
    return onecError("onec_not_published", remote, {
      message: `Nothing answers as 1C OData at ${withoutQuery(request.url)} (HTTP ${answer.status}): check the address (it ends with /odata/standard.odata) and that the base is published with the standard OData interface enabled`,
    });
  }
  if (answer.status >= 300 && answer.status < 400) {
    return onecError("onec_not_published", remote, {
      message: `1C redirected the request (HTTP ${answer.status}), usually to a login or web-client page: check that the address ends with /odata/standard.odata`,
    });
  }
  if (answer.status >= 500) {
    return onecError("onec_request_failed", remote, {
      message: `1C failed with HTTP ${answer.status} and no OData error: the 1C administrator finds the cause in the event log`,
    });
  }
  if (isHtml(answer) && HTML_LOGIN_HINTS.test(answer.body)) {
    return unauthorized(answer.status, answer);
  }
  return onecError("onec_bad_response", remote, {
    message: `1C answered HTTP ${answer.status} with ${isHtml(answer) ? "an HTML page" : `"${answer.contentType || "no content type"}"`} instead of OData JSON: check that the address points at /odata/standard.odata of the base`,
  });
}

/** A network failure or timeout before any answer from 1C. */
export function mapOnecNetworkError(
  error: { code?: string | undefined; message: string },
  request: OnecRequestInfo,
  timeoutMs: number,
): AppError {
  const timedOut = error.code === "ECONNABORTED" || error.code === "ETIMEDOUT";
  const host = safeHost(request.url);
  const message = timedOut
    ? `1C at ${host} did not answer within ${timeoutMs / 1000} s`
    : `Could not connect to 1C at ${host} (${error.code ?? error.message}): check the address and that the web server is running`;
  return new AppError("onec_unavailable", message, {
    status: timedOut ? 504 : 503,
    source: "onec",
    retryable: true,
    cause: new Error(`${error.code ?? "network"}: ${error.message}`),
    remote: { message: error.message },
  });
}

function unavailable(
  status: number,
  request: OnecRequestInfo,
  detail: string,
  code?: string,
): AppError {
  // Whether amo1c retries is the caller's decision (the queue's attempts
  // left, or none for the Check), so the message does not promise it.
  return new AppError(
    "onec_unavailable",
    `1C at ${safeHost(request.url)} is temporarily unavailable (HTTP ${status})`,
    {
      status: 503,
      source: "onec",
      retryable: true,
      remote: { status, message: detail, ...(code ? { code } : {}) },
    },
  );
}

function unauthorized(
  status: number,
  answer?: OnecAnswer,
  remote?: AppError["remote"],
): AppError {
  const htmlPage = answer !== undefined && status < 400;
  const message = htmlPage
    ? "1C answered with its login page instead of data: the user name or password was not accepted; check them in the settings"
    : `1C did not accept the user name or password (HTTP ${status}): check them in the settings`;
  return onecError(
    "onec_unauthorized",
    remote ?? {
      status,
      ...(answer ? { message: describeBody(answer) } : {}),
    },
    { message },
  );
}

function accessDenied(status: number, request: OnecRequestInfo): AppError {
  return onecError(
    "onec_access_denied",
    { status },
    {
      message: `The 1C user has no right to ${verbOf(request.method)} ${request.entitySet ?? "the OData interface"} (HTTP ${status}): grant it in 1C`,
    },
  );
}

function onecError(
  code: ErrorCode,
  remote: NonNullable<AppError["remote"]>,
  options: { message: string },
): AppError {
  return new AppError(code, options.message, {
    status: 502,
    source: "onec",
    retryable: false,
    remote,
  });
}

function describeBody(answer: OnecAnswer): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(answer.body)?.[1];
  const text = (title ?? answer.body).replace(/<[^>]*>/g, " ");
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

function isHtml(answer: OnecAnswer): boolean {
  return (
    /html/i.test(answer.contentType) ||
    /^\s*<(!doctype|html)/i.test(answer.body)
  );
}

function verbOf(method: string): string {
  return method === "GET" ? "read" : "change";
}

function withoutQuery(url: string): string {
  return decodeURI(url.split("?")[0] ?? url);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the configured address";
  }
}
