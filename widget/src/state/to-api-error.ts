import { ApiError } from "../api/api-error.js";

/** Keeps ApiErrors; anything else (a bug) becomes a readable ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;

  const message = error instanceof Error ? error.message : String(error);
  return new ApiError("internal_error", message, { status: 0, baseUrl: "" });
}
