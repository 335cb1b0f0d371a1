import type { ErrorBody } from "../../../shared/error-codes.js";

/** The `{error:{code,message}}` body of an amo1c error answer, if it is one. */
export function readErrorBody(body: unknown): ErrorBody["error"] | null {
  if (typeof body !== "object" || body === null) return null;

  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return null;

  const { code, message } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return null;
  return error as ErrorBody["error"];
}
