/**
 * Stable error codes shared by the server and the widget. The widget maps
 * each code to a readable message; the server never changes a code's meaning.
 */
export const ERROR_CODES = [
  // generic HTTP
  "bad_request",
  "validation_failed",
  "not_found",
  "payload_too_large",
  "internal_error",
  "config_invalid",
  // storage
  "db_unavailable",
  "schema_newer",
  "secret_decrypt_failed",
  // widget auth
  "widget_token_missing",
  "widget_token_invalid",
  "widget_token_expired",
  "widget_token_replayed",
  "widget_token_wrong_account",
  "widget_admin_required",
  // amoCRM
  "amocrm_not_configured",
  "amocrm_unauthorized",
  "amocrm_token_expired",
  "amocrm_token_refresh_failed",
  "amocrm_code_exchange_failed",
  "amocrm_account_mismatch",
  "amocrm_rate_limited",
  "amocrm_blocked",
  "amocrm_request_failed",
  "amocrm_unavailable",
  // 1C
  "onec_not_configured",
  "onec_unauthorized",
  "onec_not_published",
  "onec_entity_not_published",
  "onec_field_not_published",
  "onec_access_denied",
  "onec_business_error",
  "onec_not_found",
  "onec_bad_response",
  "onec_request_failed",
  "onec_unavailable",
  // webhooks and exchange
  "webhook_secret_invalid",
  "webhook_account_mismatch",
  "webhook_body_invalid",
  "exchange_rule_refused",
  "sync_timeout",
  // operations
  "metrics_forbidden",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The JSON body of every error answer of the amo1c HTTP API. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field path → message, for validation errors that point at a field. */
    fields?: Record<string, string> | undefined;
  };
}
