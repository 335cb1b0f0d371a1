import axios, { type AxiosInstance } from "axios";
import Bottleneck from "bottleneck";
import pRetry from "p-retry";

import type { Config } from "../config/load-config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { countRequest } from "../observability/request-counter.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { createStartWindow } from "./create-start-window.js";
import type { AmocrmHttp, AmocrmRequest, RetryOptions } from "./http-types.js";
import { scrubUrl } from "./map-amocrm-error.js";
import {
  describeNetworkFailure,
  headerOf,
  outcomeOf,
  readAmocrmAnswer,
} from "./read-amocrm-answer.js";
import { shouldRetryRequest } from "./should-retry-request.js";

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

export const DEFAULT_RETRY: RetryOptions = {
  retries: 4,
  minDelayMs: 1_000,
  maxDelayMs: 15_000,
};

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
        throw describeNetworkFailure(url, request, cause);
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
    return readAmocrmAnswer(url, request, response, requestId);
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
        shouldRetry: (error) => shouldRetryRequest(error, request.method),
        onFailedAttempt: (error) => {
          if (
            !shouldRetryRequest(error, request.method) ||
            error.retriesLeft === 0
          )
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

  // The host comes from the settings: after an account's subdomain is
  // renamed (reference amocrm §1.8) the admin corrects it there.
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
