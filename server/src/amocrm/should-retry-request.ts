import { isAppError } from "../errors.js";
import type { HttpMethod } from "./http-types.js";

/**
 * 429 and gateway errors mean amoCRM did not act, so any request may be
 * sent again. Other 5xx may have been applied: repeated only when the
 * method is idempotent. Without an answer only reads are repeated.
 */
export function shouldRetryRequest(
  error: unknown,
  method: HttpMethod,
): boolean {
  if (!isAppError(error) || !error.retryable) return false;
  const status = error.remote?.status ?? 0;
  if (status === 429 || status === 502 || status === 503 || status === 504)
    return true;
  if (status >= 500) return method !== "POST";
  return method === "GET";
}
