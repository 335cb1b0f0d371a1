import type { ApiError } from "../api/api-error.js";
import type { Translator } from "./create-translator.js";

/** amoCRM's one-time widget tokens the backend refused (reference amocrm §6). */
const REJECTED_TOKEN_CODES = new Set<string>([
  "widget_token_missing",
  "widget_token_invalid",
  "widget_token_replayed",
  "widget_token_wrong_account",
]);

/** A sentence for the user about a failed backend call. */
export function describeApiError(error: ApiError, { t }: Translator): string {
  const url = error.baseUrl;
  switch (error.code) {
    case "backend_unreachable":
      return t("errors.backend_unreachable", { url });
    case "backend_url_missing":
      return t("errors.backend_url_missing");
    case "bad_response":
      return t("errors.bad_response", { url, message: error.message });
    case "widget_token_expired":
      return t("errors.widget_token_expired");
    case "widget_admin_required":
      return t("errors.widget_admin_required");
  }

  if (REJECTED_TOKEN_CODES.has(error.code)) {
    return t("errors.widget_token_rejected", { code: error.code });
  }
  // The server's messages already say what failed and what to do.
  return t("errors.server", { message: error.message });
}
