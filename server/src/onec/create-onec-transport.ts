import axios, { type AxiosInstance } from "axios";
import pRetry from "p-retry";

import { isAppError, type AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { countRequest } from "../observability/request-counter.js";
import {
  isJsonContentType,
  mapOnecAnswer,
  mapOnecNetworkError,
  type OnecAnswer,
  type OnecRequestInfo,
} from "./map-onec-error.js";

/** How long one request to 1C may take before it counts as failed. */
export const ONEC_REQUEST_TIMEOUT_MS = 15_000;
/** Retries after the first attempt for reads and repeat-safe writes. */
export const ONEC_RETRIES = 3;
export const ONEC_RETRY_MIN_DELAY_MS = 500;
const ONEC_RETRY_MAX_DELAY_MS = 5_000;
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface OnecTransportOptions {
  user: string;
  password: string;
  log: Logger;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  retryMinDelayMs?: number | undefined;
  /** Injected for tests; created with the options above when absent. */
  http?: AxiosInstance | undefined;
}

export interface OnecSendOptions {
  method: "GET" | "POST" | "PATCH";
  url: string;
  /** The entity set addressed, for error messages. */
  entitySet?: string | undefined;
  body?: Record<string, unknown> | undefined;
  /** Defaults to application/json; $metadata asks for XML. */
  accept?: string | undefined;
}

export interface OnecTransport {
  /** Sends one request; resolves with the body of a 2xx answer. */
  send(options: OnecSendOptions): Promise<string>;
  /** Runs fn again on retryable AppErrors, with exponential backoff. */
  retry<T>(fn: () => Promise<T>, what: string): Promise<T>;
}

/**
 * HTTP to one 1C publication: Basic auth, answers checked for JSON, every
 * failure an AppError with source "onec", one request count per attempt.
 */
export function createOnecTransport(
  options: OnecTransportOptions,
): OnecTransport {
  const timeoutMs = options.timeoutMs ?? ONEC_REQUEST_TIMEOUT_MS;
  const http = options.http ?? createHttp(options, timeoutMs);
  const log = options.log.child({ name: "onec" });

  async function send(sendOptions: OnecSendOptions): Promise<string> {
    const { method, url, entitySet } = sendOptions;
    const request: OnecRequestInfo = { method, url, entitySet };
    const started = Date.now();

    let answer: OnecAnswer;
    try {
      answer = await transmit(http, sendOptions);
    } catch (error) {
      const failure = mapOnecNetworkError(
        toNetworkError(error),
        request,
        timeoutMs,
      );
      countRequest("onec", failure.code);
      log.debug({ method, url, code: failure.code }, "1C request failed");
      throw failure;
    }

    const durationMs = Date.now() - started;
    log.debug({ method, url, status: answer.status, durationMs }, "1C request");
    const failure = checkAnswer(answer, request, sendOptions.accept);
    countRequest("onec", failure ? failure.code : "ok");
    if (failure) throw failure;
    return answer.body;
  }

  function retry<T>(fn: () => Promise<T>, what: string): Promise<T> {
    return pRetry(fn, {
      retries: options.retries ?? ONEC_RETRIES,
      minTimeout: options.retryMinDelayMs ?? ONEC_RETRY_MIN_DELAY_MS,
      maxTimeout: ONEC_RETRY_MAX_DELAY_MS,
      randomize: true,
      // 4xx and 500/-1 are final answers; only 502/503/504 and network
      // failures may pass on a later try (reference onec §1.11, §7.9).
      shouldRetry: (error) => isAppError(error) && error.retryable,
      onFailedAttempt: (error) => {
        const code = (error as unknown as AppError).code;
        log.warn(
          { what, code, retriesLeft: error.retriesLeft },
          "1C request failed, retrying",
        );
      },
    });
  }

  return { send, retry };
}

function createHttp(
  options: OnecTransportOptions,
  timeoutMs: number,
): AxiosInstance {
  // Built from UTF-8 bytes: 1C user names are often Cyrillic (reference onec §1.2).
  const credentials = Buffer.from(
    `${options.user}:${options.password}`,
    "utf8",
  );
  return axios.create({
    timeout: timeoutMs,
    headers: { Authorization: `Basic ${credentials.toString("base64")}` },
    responseType: "text",
    // Kept as text: the body is checked for JSON before it is parsed.
    transformResponse: (data: unknown) => data,
    validateStatus: () => true,
    // A redirect means a login or web-client page, never data.
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
  });
}

async function transmit(
  http: AxiosInstance,
  { method, url, body, accept }: OnecSendOptions,
): Promise<OnecAnswer> {
  const response = await http.request<unknown>({
    method,
    url,
    data: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      Accept: accept ?? "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
  });
  return {
    status: response.status,
    contentType: String(response.headers["content-type"] ?? ""),
    body: typeof response.data === "string" ? response.data : "",
  };
}

/**
 * An error for anything but a 2xx JSON answer. 1C may answer an auth
 * problem with an HTML page and HTTP 200, so the content type is checked
 * before the body is trusted (reference onec §1.2).
 */
function checkAnswer(
  answer: OnecAnswer,
  request: OnecRequestInfo,
  accept = "application/json",
): AppError | null {
  if (answer.status < 200 || answer.status >= 300) {
    return mapOnecAnswer(answer, request);
  }
  if (answer.status === 204) return null;
  // $metadata is XML; an HTML page in its place is still a login page.
  if (!accept.includes("json")) {
    return /html/i.test(answer.contentType)
      ? mapOnecAnswer(answer, request)
      : null;
  }
  return isJsonContentType(answer.contentType)
    ? null
    : mapOnecAnswer(answer, request);
}

function toNetworkError(error: unknown): {
  code?: string | undefined;
  message: string;
} {
  if (axios.isAxiosError(error)) {
    return { code: error.code, message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
