import type { Response } from "express";

const HAL_JSON = "application/hal+json";
const PROBLEM_JSON = "application/problem+json";

// OAuth errors share one type URL and localized title/detail; clients key on
// status + hint (reference §1.6).
const OAUTH_PROBLEM_TYPE =
  "https://developers.amocrm.ru/v3/errors/OAuthProblemJson";
const OAUTH_PROBLEM_TITLE = "Некорректный запрос";
const OAUTH_PROBLEM_DETAIL =
  "В запросе отсутствует ряд параметров или параметры невалидны";

export function sendHal(res: Response, status: number, body: unknown): void {
  res.status(status).type(HAL_JSON).send(JSON.stringify(body));
}

export function sendNoContent(res: Response): void {
  res.status(204).end();
}

export interface ProblemOptions {
  status: number;
  title: string;
  detail: string;
  extra?: Record<string, unknown> | undefined;
}

// Generic problem body (reference §3.12).
export function sendProblem(res: Response, o: ProblemOptions): void {
  const body = {
    ...o.extra,
    title: o.title,
    type: `https://httpstatus.es/${o.status}`,
    status: o.status,
    detail: o.detail,
  };
  res.status(o.status).type(PROBLEM_JSON).send(JSON.stringify(body));
}

export function sendOauthProblem(
  res: Response,
  status: number,
  hint: string,
): void {
  const body = {
    hint,
    title: OAUTH_PROBLEM_TITLE,
    type: OAUTH_PROBLEM_TYPE,
    status,
    detail: OAUTH_PROBLEM_DETAIL,
  };
  res.status(status).type(PROBLEM_JSON).send(JSON.stringify(body));
}

// Observed 401 body of API v4 (reference §3.12).
export function sendUnauthorized(res: Response): void {
  sendProblem(res, {
    status: 401,
    title: "Unauthorized",
    detail: "Неверный логин или пароль",
  });
}

export function sendNotFound(res: Response): void {
  sendProblem(res, { status: 404, title: "Not Found", detail: "Not Found" });
}

export interface ValidationError {
  request_id: string;
  errors: { code: string; path: string; detail: string }[];
}

// 400 with per-item errors tied to request_id (reference §3.12).
export function sendValidationErrors(
  res: Response,
  errors: ValidationError[],
): void {
  sendProblem(res, {
    status: 400,
    title: "Bad Request",
    detail: "Request validation failed",
    extra: { "validation-errors": errors },
  });
}

export function sendBadRequest(res: Response, detail: string): void {
  sendProblem(res, { status: 400, title: "Bad Request", detail });
}
