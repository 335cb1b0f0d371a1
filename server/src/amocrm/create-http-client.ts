import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import Bottleneck from "bottleneck";
import pRetry from "p-retry";

import type { Config } from "../config/load-config.js";
import { AppError, isAppError } from "../errors.js";
import type { Logger } from "../log.js";
import { countRequest } from "../observability/request-counter.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { createStartWindow } from "./create-start-window.js";
import {
  AmocrmHttpFailure,
  mapAmocrmError,
  scrubUrl,
  type RequestPurpose,
} from "./map-amocrm-error.js";

// amoCRM allows 7 requests per second per integration (reference amocrm §3.11).
export const AMOCRM_RATE_LIMIT_PER_SECOND = 7;

// Requests are spaced 8 % wider than 1000/rate ms, and the strict window is
// 60 ms longer than a second, so that jitter between our start and amoCRM's
// arrival (measured: ±25 ms, stalls up to ~70 ms) never squeezes an extra
// request into amoCRM's one-second window.
const LIMITER_SPACING_SLACK = 0.08;
const RATE_WINDOW_MS = 1000;
const RATE_WINDOW_GUARD_MS = 60;

export const REQUEST_TIMEOUT_MS = 30_000;

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 4,
  minDelayMs: 1_000,
  maxDelayMs: 15_000,
};

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface AmocrmRequest {
  method: HttpMethod;
  /** Path and query, such as /api/v4/leads?filter[id][]=1. */
  path: string;
  body?: unknown;
  /** Bearer token; absent for the OAuth token endpoint. */
  token?: string | undefined;
  /** Which error family a failure maps to; "api" when absent. */
  purpose?: RequestPurpose | undefined;
}

export interface AmocrmResponse {
  status: number;
  /** Parsed JSON; null for 204 and empty bodies. */
  data: unknown;
  requestId: string | null;
}

/** One amoCRM connection's HTTP side: base URL, rate limit, retries, errors. */
export interface AmocrmHttp {
  send(request: AmocrmRequest): Promise<AmocrmResponse>;
  /** Drops queued requests; for shutdown and tests. */
  stop(): Promise<void>;
}

export interface CreateHttpClientOptions {
  config: Pick<Config, "amocrm">;
  settings: Pick<SettingsStore, "amocrm">;
  log: Logger;
  axios?: AxiosInstance | undefined;
  rateLimitPerSecond?: number | undefined;
  retry?: Partial<RetryOptions> | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The process-wide door to amoCRM. Every request, API or OAuth, passes one
 * limiter, so all callers together stay within the rate limit.
 */
export function createHttpClient(options: CreateHttpClientOptions): AmocrmHttp {
  const client = options.axios ?? axios.create();
  const log = options.log.child({ name: "amocrm" });
  const rate = options.rateLimitPerSecond ?? AMOCRM_RATE_LIMIT_PER_SECOND;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeout = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  let stopping: Promise<void> | null = null;
  const limiter = new Bottleneck({
    minTime: Math.ceil((RATE_WINDOW_MS / rate) * (1 + LIMITER_SPACING_SLACK)),
  });
  const acquireStart = createStartWindow({
    limit: rate,
    windowMs: RATE_WINDOW_MS + RATE_WINDOW_GUARD_MS,
  });

  async function attempt(url: string, request: AmocrmRequest) {
    const started = Date.now();
    const response = await limiter
      .schedule(async () => {
        await acquireStart();
        return client.request(axiosConfig(url, request, timeout));
      })
      .catch((cause: unknown) => {
        countRequest("amocrm", "network_error");
        throw networkFailure(url, request, cause);
      });

    countRequest("amocrm", outcomeOf(response.status));
    const requestId = headerOf(response, "x-request-id");
    log.debug(
      {
        method: request.method,
        url: scrubUrl(url),
        status: response.status,
        durationMs: Date.now() - started,
        requestId,
      },
      "amoCRM request",
    );
    return toResult(url, request, response, requestId);
  }

  return {
    async send(request) {
      const url = (await baseUrlOf(options)) + request.path;
      return pRetry(() => attempt(url, request), {
        retries: retry.retries,
        minTimeout: retry.minDelayMs,
        maxTimeout: retry.maxDelayMs,
        factor: 2,
        randomize: true,
        shouldRetry: (error) => shouldRetry(error, request.method),
        onFailedAttempt: (error) => {
          if (!shouldRetry(error, request.method) || error.retriesLeft === 0)
            return;
          log.warn(
            {
              err: error,
              attempt: error.attemptNumber,
              retriesLeft: error.retriesLeft,
            },
            "amoCRM request failed, retrying",
          );
        },
      });
    },

    stop() {
      // Idempotent: shutdown paths may call it twice.
      stopping ??= limiter.stop({ dropWaitingJobs: true });
      return stopping;
    },
  };
}

/** `config.amocrm.baseUrl` (emulator) or the account host from the settings. */
async function baseUrlOf(options: CreateHttpClientOptions): Promise<string> {
  if (options.config.amocrm.baseUrl) return options.config.amocrm.baseUrl;

  const settings = await options.settings.amocrm();
  if (!settings) {
    throw new AppError(
      "amocrm_not_configured",
      "amoCRM is not set up: enter the account host (such as acme.amocrm.ru) in the settings",
      { status: 409, source: "amo1c" },
    );
  }
  return `https://${settings.host}`;
}

function axiosConfig(url: string, request: AmocrmRequest, timeout: number) {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers["Content-Type"] = "application/json";

  return {
    url,
    method: request.method,
    headers,
    data: request.body === undefined ? undefined : JSON.stringify(request.body),
    timeout,
    // Bodies are parsed here, not by axios: amoCRM's 403/429 pages are HTML.
    responseType: "text" as const,
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  };
}

function toResult(
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

function networkFailure(url: string, request: AmocrmRequest, cause: unknown) {
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

/**
 * 429 and gateway errors mean amoCRM did not act, so any request may be
 * sent again. Other 5xx may have been applied: repeated only when the
 * method is idempotent. Without an answer only reads are repeated.
 */
function shouldRetry(error: unknown, method: HttpMethod): boolean {
  if (!isAppError(error) || !error.retryable) return false;
  const status = error.remote?.status ?? 0;
  if (status === 429 || status === 502 || status === 503 || status === 504)
    return true;
  if (status >= 500) return method !== "POST";
  return method === "GET";
}

function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "unauthorized";
  if (status === 403) return "blocked";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "server_error" : "client_error";
}

function headerOf(response: AxiosResponse, name: string): string | null {
  const value: unknown = response.headers[name];
  return typeof value === "string" ? value : null;
}
