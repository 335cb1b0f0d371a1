import type { ErrorCode } from "../../shared/error-codes.js";

export type { ErrorCode };

export interface AppErrorOptions {
  /** HTTP status the API answers with when this error reaches a client. */
  status?: number | undefined;
  cause?: unknown;
  /** Which side produced the error, shown to the user next to the message. */
  source?: "amocrm" | "onec" | "amo1c" | undefined;
  /** Whether running the same operation again later may succeed. */
  retryable?: boolean | undefined;
  /** Field path → message, for validation errors. */
  fields?: Record<string, string> | undefined;
  /** The remote system's own message or code, kept verbatim. */
  remote?: { status?: number; code?: string; message?: string } | undefined;
}

/**
 * The one error type of amo1c: a stable code, an HTTP status, a message that
 * says what to do, and the cause it wraps.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly source: "amocrm" | "onec" | "amo1c";
  readonly retryable: boolean;
  readonly fields: Record<string, string> | undefined;
  readonly remote: AppErrorOptions["remote"];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? 500;
    this.source = options.source ?? "amo1c";
    this.retryable = options.retryable ?? false;
    this.fields = options.fields;
    this.remote = options.remote;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Normalises anything thrown into an AppError, keeping the original as cause. */
export function toAppError(
  error: unknown,
  unknownIs: Pick<AppErrorOptions, "retryable"> = {},
): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("internal_error", message, {
    cause: error,
    retryable: unknownIs.retryable,
  });
}

/**
 * A sync run's errors: what no code classified (a busy SQLite file, a lost
 * database connection, a bug) is presumed transient, so the run is retried
 * with backoff and only then shown as failed. The permanent causes
 * (validation, configuration, a 1C refusal) are AppErrors already.
 */
export function toSyncError(error: unknown): AppError {
  return toAppError(error, { retryable: true });
}
