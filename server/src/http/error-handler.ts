import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";

import type { ErrorBody } from "../../../shared/error-codes.js";
import { AppError, toAppError } from "../errors.js";
import type { Logger } from "../log.js";
import { redactPath } from "./redact-path.js";

/** Errors thrown by body-parser carry a `type` naming what went wrong. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** Maps body-parser failures to the amo1c error type with a fix-it message. */
function fromBodyParser(error: unknown): AppError | null {
  const type = (error as BodyParserError | null)?.type;
  // body-parser's own errors carry `type`; zlib's (a broken gzip body) only
  // `expose` with a 4xx status.
  const exposed = (error as { expose?: unknown } | null)?.expose === true;
  if (error instanceof AppError || (typeof type !== "string" && !exposed))
    return null;
  if (type === "entity.too.large") {
    return new AppError(
      "payload_too_large",
      "Request body is larger than the server accepts; send less data per request",
      { status: 413, cause: error },
    );
  }
  if (type === "entity.parse.failed") {
    return new AppError("bad_request", parseFailureMessage(error), {
      status: 400,
      cause: error,
    });
  }
  const status = (error as BodyParserError | null)?.status;
  if (type === "encoding.unsupported" || status === 415) {
    return new AppError(
      "bad_request",
      "Unsupported request encoding: send the body uncompressed or gzip/deflate",
      {
        status: 415,
        cause: error,
      },
    );
  }
  // Anything else body-parser refuses (a broken gzip stream, a wrong
  // charset, an aborted upload) is the client's to fix, not a server fault.
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError(
      "bad_request",
      "The request body could not be read; check its encoding and length",
      {
        status,
        cause: error,
      },
    );
  }
  return null;
}

/**
 * body-parser's strict mode refuses JSON that is not an object or array
 * (`null`, `5`, `"x"`) with the same error as broken JSON; say which.
 */
function parseFailureMessage(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === "string" && isJson(body))
    return `Request body must be a JSON object, not ${body.trim().slice(0, 20)}: send {"field": value, …}`;
  return "Request body is not valid JSON";
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A zod schema refused input that a route parsed: the field and the rule. */
function fromZod(error: unknown): AppError | null {
  if (!(error instanceof ZodError)) return null;
  const issue = error.issues[0];
  const field = issue?.path.join(".") || "body";
  return new AppError(
    "validation_failed",
    `Check ${field}: ${issue?.message ?? "invalid value"}`,
    {
      status: 400,
      cause: error,
      fields: { [field]: issue?.message ?? "invalid value" },
    },
  );
}

/** The 4xx status an error from Express or a middleware carries, if any. */
function clientStatusOf(error: unknown): number | null {
  const { status, statusCode } = (error ?? {}) as {
    status?: unknown;
    statusCode?: unknown;
  };
  const value = typeof status === "number" ? status : statusCode;
  return typeof value === "number" && value >= 400 && value < 500
    ? value
    : null;
}

/**
 * Errors that Express or a middleware marked as the client's fault (the
 * router's URIError for a broken %-escape carries 400) stay 4xx. Their own
 * message may quote the path, which can hold the webhook secret, so the
 * answer uses a fixed one.
 */
function fromClientStatus(error: unknown): AppError | null {
  const status = clientStatusOf(error);
  if (status === null || error instanceof AppError) return null;
  if (error instanceof URIError) {
    return new AppError(
      "bad_request",
      "The request path has a malformed %-escape: percent-encode it as UTF-8 (a literal % is %25)",
      { status: 400, cause: error },
    );
  }
  if (status === 404)
    return new AppError("not_found", "No such resource", {
      status,
      cause: error,
    });
  return new AppError(
    "bad_request",
    `The request was refused (HTTP ${status}): check its method, path, headers and body`,
    { status, cause: error },
  );
}

/**
 * The one place where errors become HTTP answers: `{ error: { code, message } }`.
 * 5xx answers expose no internals; the details go to the log.
 */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const appError =
      fromBodyParser(error) ??
      fromZod(error) ??
      fromClientStatus(error) ??
      toAppError(error);
    const status = appError.status;

    if (status >= 500) {
      log.error(
        { err: error, reqId: req.id, path: redactPath(req.path) },
        "request failed",
      );
    } else {
      log.warn(
        {
          code: appError.code,
          reason: appError.message,
          reqId: req.id,
          path: redactPath(req.path),
        },
        "request refused",
      );
    }

    if (res.headersSent) return next(error);

    const body: ErrorBody = {
      error: {
        code:
          status >= 500 && appError.code === "internal_error"
            ? "internal_error"
            : appError.code,
        message:
          status >= 500 && appError.code === "internal_error"
            ? "Internal error; the server log has the details"
            : appError.message,
        fields: appError.fields,
      },
    };
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new AppError(
      "not_found",
      `No route for ${req.method} ${redactPath(req.path)}`,
      {
        status: 404,
      },
    ),
  );
};
