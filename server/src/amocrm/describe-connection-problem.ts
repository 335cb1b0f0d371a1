import { AppError, isAppError } from "../errors.js";
import type { ConnectionProblem, TokenRecord } from "./token-store.js";

/** The error to store as the reason the connection needs attention. */
export function problemOf(error: unknown): ConnectionProblem {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return {
    code: "amocrm_request_failed",
    message: error instanceof Error ? error.message : String(error),
  };
}

/** No usable pair: the stored reason, or how to connect in the first place. */
export function notConnected(record: TokenRecord): AppError {
  if (record.problem) {
    return new AppError(record.problem.code, record.problem.message, {
      status: 409,
      source: "amocrm",
    });
  }
  return new AppError(
    "amocrm_not_configured",
    "amoCRM is not connected: copy the authorization code from the integration's Keys and scopes tab, paste it in the settings and press Check",
    { status: 409 },
  );
}
