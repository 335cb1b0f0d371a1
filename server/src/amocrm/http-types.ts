import type { RequestPurpose } from "./map-amocrm-error.js";

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

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
