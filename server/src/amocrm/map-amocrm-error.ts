import type { ErrorCode } from "../../../shared/error-codes.js";
import { AppError } from "../errors.js";
import { adviseOnFailure } from "./advise-on-amocrm-error.js";

/** Longest slice of a response body kept in errors and logs. */
const BODY_EXCERPT_CHARS = 300;

/** Query parameters that may carry secrets; scrubbed from kept URLs. */
const SECRET_QUERY_PARAMS = /token|code|secret|password/i;

/** What a request was for: decides the error code family. */
export type RequestPurpose = "api" | "authorization_code" | "refresh_token";

/** One failed exchange with amoCRM, reduced to what is safe to keep. */
export interface FailedExchange {
  method: string;
  url: string;
  /** 0 when no answer arrived. */
  status: number;
  body: string;
  requestId: string | null;
  /** Node's error code (ECONNRESET, ETIMEDOUT…) when no answer arrived. */
  networkCode?: string | undefined;
  purpose: RequestPurpose;
}

/**
 * The cause attached to amoCRM errors instead of the raw HTTP client error,
 * which carries the request headers (the Bearer token) and bodies.
 */
export class AmocrmHttpFailure extends Error {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly bodyExcerpt: string;
  readonly requestId: string | null;
  readonly networkCode: string | null;

  constructor(failure: FailedExchange) {
    // Loggers print a cause by its message: it carries the request id that
    // amoCRM support asks for (reference amocrm §3.1).
    const requestId = failure.requestId ?? "none";
    super(
      `${failure.method} ${scrubUrl(failure.url)} → ${failure.status} (X-Request-Id ${requestId})`,
    );
    this.name = "AmocrmHttpFailure";
    this.method = failure.method;
    this.url = scrubUrl(failure.url);
    this.status = failure.status;
    this.bodyExcerpt = excerpt(failure.body);
    this.requestId = failure.requestId;
    this.networkCode = failure.networkCode ?? null;
  }
}

/** amoCRM's problem+json answer (reference amocrm §1.6, §3.12). */
interface ProblemBody {
  hint?: unknown;
  title?: unknown;
  detail?: unknown;
  "validation-errors"?: unknown;
}

/** Turns a failed exchange into the AppError the rest of amo1c sees. */
export function mapAmocrmError(failure: FailedExchange): AppError {
  const problem = parseProblem(failure.body);
  const hint = typeof problem?.hint === "string" ? problem.hint : undefined;
  const serverMessage = describeAnswer(failure, problem);
  const code = codeFor(failure);
  const advice = adviseOnFailure({ code, hint, status: failure.status });

  return new AppError(
    code,
    `${headlineFor(failure, serverMessage)}. ${advice}`,
    {
      status: failure.status === 429 ? 503 : 502,
      source: "amocrm",
      retryable: isTransient(failure.status),
      cause: new AmocrmHttpFailure(failure),
      remote: {
        status: failure.status,
        ...(hint === undefined ? {} : { code: hint }),
        message: serverMessage,
      },
    },
  );
}

/** 429, 5xx and no answer at all may pass on a later attempt; 4xx will not. */
function isTransient(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

function codeFor(failure: FailedExchange): ErrorCode {
  if (failure.purpose === "authorization_code")
    return "amocrm_code_exchange_failed";
  if (failure.purpose === "refresh_token") return "amocrm_token_refresh_failed";

  const { status } = failure;
  if (status === 0 || status >= 500) return "amocrm_unavailable";
  if (status === 401) return "amocrm_unauthorized";
  if (status === 403) return "amocrm_blocked";
  if (status === 429) return "amocrm_rate_limited";
  return "amocrm_request_failed";
}

/** "amoCRM did not answer (ECONNREFUSED)": no answer has no words to quote. */
function headlineFor(failure: FailedExchange, serverMessage: string): string {
  if (failure.status === 0 && failure.purpose === "api")
    return `amoCRM did not answer (${failure.networkCode ?? "connection failed"})`;
  return `${summaryFor(failure)}: ${serverMessage}`;
}

function summaryFor(failure: FailedExchange): string {
  if (failure.purpose === "authorization_code")
    return "amoCRM did not exchange the authorization code for tokens";
  if (failure.purpose === "refresh_token")
    return "amoCRM did not renew the access token";
  return `amoCRM refused ${failure.method} ${pathOf(failure.url)}`;
}

/**
 * amoCRM's own words: title, detail and hint of a problem body, validation
 * paths, or the status and a trimmed body when the answer is not JSON
 * (nginx HTML pages on 403/429, reference amocrm §3.11).
 */
function describeAnswer(
  failure: FailedExchange,
  problem: ProblemBody | null,
): string {
  if (failure.status === 0)
    return `no answer: ${failure.networkCode ?? "connection failed"}`;

  // The hint is the precise reason; the localised title/detail follow it.
  const parts = problem
    ? [problem.hint, problem.title, problem.detail, ...validationParts(problem)]
    : [];
  const [first, ...rest] = [...new Set(parts.filter(isText))];
  if (first !== undefined) {
    const more = rest.length > 0 ? ` (${rest.join("; ")})` : "";
    return `${failure.status} ${first}${more}`;
  }

  const text = excerpt(failure.body);
  return text === ""
    ? `HTTP ${failure.status}`
    : `HTTP ${failure.status}: ${text}`;
}

function validationParts(problem: ProblemBody): string[] {
  const groups = problem["validation-errors"];
  if (!Array.isArray(groups)) return [];
  return groups
    .flatMap((group: { errors?: unknown }) =>
      Array.isArray(group?.errors) ? group.errors : [],
    )
    .slice(0, 3)
    .map((e: { path?: unknown; code?: unknown; detail?: unknown }) =>
      [e?.path, e?.code, e?.detail].filter(isText).join(" "),
    );
}

function parseProblem(body: string): ProblemBody | null {
  if (!body.trimStart().startsWith("{")) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** Tags stripped and whitespace collapsed, so an HTML page reads as a line. */
function excerpt(body: string): string {
  const text = body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > BODY_EXCERPT_CHARS
    ? `${text.slice(0, BODY_EXCERPT_CHARS)}…`
    : text;
}

/** The URL without query values that could be secrets. */
export function scrubUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY_PARAMS.test(key))
        parsed.searchParams.set(key, "[redacted]");
    }
    return parsed.toString();
  } catch {
    return url.split("?")[0] ?? "";
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? "";
  }
}
