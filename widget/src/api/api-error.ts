import type { ErrorCode } from "../../../shared/error-codes.js";

/** Codes the widget adds for failures that have no server answer. */
export type WidgetErrorCode =
  "backend_unreachable" | "backend_url_missing" | "bad_response";

export interface ApiErrorOptions {
  status: number;
  /** The backend base URL, to name it in "cannot be reached" messages. */
  baseUrl: string;
  fields?: Record<string, string> | undefined;
}

/** A failed call to the amo1c backend, with the server's code and message. */
export class ApiError extends Error {
  readonly code: ErrorCode | WidgetErrorCode;
  readonly status: number;
  readonly baseUrl: string;
  readonly fields: Record<string, string>;

  constructor(
    code: ErrorCode | WidgetErrorCode,
    message: string,
    options: ApiErrorOptions,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = options.status;
    this.baseUrl = options.baseUrl;
    this.fields = options.fields ?? {};
  }
}
