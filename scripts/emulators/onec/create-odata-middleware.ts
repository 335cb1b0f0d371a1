import { setTimeout as sleep } from "node:timers/promises";

import type { NextFunction, Request, Response } from "express";

import type { EmulatorControl, FaultSpec } from "./control.js";
import { accessDenied, businessError, renderJsonError } from "./errors.js";
import type { OdataError } from "./errors.js";
import { handleOdataRequest } from "./handle-odata-request.js";
import type { OdataContext, WireResponse } from "./handle-odata-request.js";
import {
  IIS_NOT_FOUND_PAGE,
  LOGIN_PAGE,
  SERVICE_UNAVAILABLE_PAGE,
  UNAUTHORIZED_TEXT,
} from "./render/render-html-pages.js";
import type { OnecStore } from "./state.js";

/** IIS maxQueryString default (reference onec §1.5). */
const MAX_QUERY_STRING_BYTES = 2048;
/** How long a `timeout` fault keeps the socket before dropping it. */
export const HELD_RESPONSE_MS = 30_000;
const ODATA_PATH = /^\/([^/]+)\/odata\/standard\.odata(?:\/(.*))?$/;
const HTML_TYPE = "text/html;charset=utf-8";

export interface OdataMiddlewareOptions {
  store: OnecStore;
  control: EmulatorControl;
  user: string;
  password: string;
  /** Keeps a response open for a `timeout` fault until stop(). */
  hold: (response: Response) => void;
}

interface ParsedUrl {
  base: string;
  resource: string;
  rawQuery: string;
  path: string;
}

/**
 * The web server + 1C front: down switch, IIS limits, latency, Basic auth,
 * injected faults, then the OData answer. Every request is recorded.
 */
export function createOdataMiddleware(options: OdataMiddlewareOptions) {
  return async (
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<void> => {
    const url = parseUrl(req.originalUrl);
    if (!url || !options.store.base(url.base)) {
      next();
      return;
    }
    const entry = {
      method: req.method,
      path: url.path,
      query: safeDecode(url.rawQuery),
      at: Date.now(),
    };
    const answer = await answerRequest(options, req, url);

    if (answer === "held") {
      options.control.record({ ...entry, status: 0 });
      options.hold(res);
      return;
    }
    options.control.record({ ...entry, status: answer.status });
    res.status(answer.status).set(answer.headers).send(answer.body);
  };
}

async function answerRequest(
  options: OdataMiddlewareOptions,
  req: Request,
  url: ParsedUrl,
): Promise<WireResponse | "held"> {
  const { control } = options;
  if (Buffer.byteLength(url.rawQuery) > MAX_QUERY_STRING_BYTES) {
    return html(404, IIS_NOT_FOUND_PAGE);
  }
  if (control.down) return html(503, SERVICE_UNAVAILABLE_PAGE);
  if (control.latencyMs > 0) await sleep(control.latencyMs);
  if (!isAuthorized(req.headers.authorization, options)) return unauthorized();

  const setName = url.resource.split(/[(/]/)[0] ?? "";
  const fault = control.takeFault(req.method, setName);
  if (fault && fault.kind !== "timeout") return faultAnswer(fault, setName);

  const context: OdataContext = {
    store: options.store,
    composition: control.composition(url.base),
  };
  const answer = handleOdataRequest(context, {
    method: req.method,
    base: url.base,
    resource: url.resource,
    rawQuery: url.rawQuery,
    accept: req.headers.accept,
    body: typeof req.body === "string" ? req.body : "",
    serviceUrl: `http://${req.headers.host ?? "127.0.0.1"}/${encodeURIComponent(url.base)}/odata/standard.odata`,
  });
  // the write is applied, only the answer is lost
  return fault ? "held" : answer;
}

function parseUrl(originalUrl: string): ParsedUrl | undefined {
  const question = originalUrl.indexOf("?");
  const rawPath = question < 0 ? originalUrl : originalUrl.slice(0, question);
  const rawQuery = question < 0 ? "" : originalUrl.slice(question + 1);
  const path = safeDecode(rawPath);
  const match = ODATA_PATH.exec(path);
  if (!match) return undefined;
  return { base: match[1] ?? "", resource: match[2] ?? "", rawQuery, path };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Basic credentials are UTF-8: Cyrillic user names are common (reference onec §1.2). */
function isAuthorized(
  header: string | undefined,
  expected: { user: string; password: string },
): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString(
    "utf8",
  );
  const colon = decoded.indexOf(":");
  return (
    colon >= 0 &&
    decoded.slice(0, colon) === expected.user &&
    decoded.slice(colon + 1) === expected.password
  );
}

function unauthorized(): WireResponse {
  return {
    status: 401,
    headers: {
      "WWW-Authenticate": 'Basic realm=""',
      "Content-Type": "text/plain;charset=utf-8",
    },
    body: UNAUTHORIZED_TEXT,
  };
}

function faultAnswer(fault: FaultSpec, setName: string): WireResponse {
  switch (fault.kind) {
    case "status503":
      return html(503, SERVICE_UNAVAILABLE_PAGE);
    case "html_login":
      return html(200, LOGIN_PAGE);
    case "access_denied":
      return jsonError(accessDenied());
    default:
      return jsonError(
        businessError(fault.message ?? `Не удалось записать "${setName}"!`),
      );
  }
}

function jsonError(error: OdataError): WireResponse {
  return {
    status: error.status,
    headers: { "Content-Type": "application/json;charset=utf-8" },
    body: renderJsonError(error),
  };
}

function html(status: number, body: string): WireResponse {
  return { status, headers: { "Content-Type": HTML_TYPE }, body };
}
