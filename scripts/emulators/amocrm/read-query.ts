import type { Request } from "express";

export const MAX_LIMIT = 250;
export const DEFAULT_LIMIT = 50;

type QueryValue = unknown;

/** Numbers from `x=1`, `x[]=1&x[]=2`, `x[0]=1` or `x=1,2`. */
export function readNumberList(value: QueryValue): number[] {
  const raw: unknown[] = Array.isArray(value)
    ? value
    : value !== null && typeof value === "object"
      ? Object.values(value)
      : value === undefined
        ? []
        : String(value).split(",");
  return raw.map((v) => Number(v)).filter((n) => Number.isFinite(n));
}

/** Strings from `x=a`, `x[]=a&x[]=b` or `x=a,b`. */
export function readStringList(value: QueryValue): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value !== null && typeof value === "object") {
    return Object.values(value).map(String);
  }
  return value === undefined ? [] : String(value).split(",");
}

export interface TimeRange {
  from: number | null;
  to: number | null;
}

/** `f[from]=…&f[to]=…`, or a single value meaning "from" (reference §3.10). */
export function readTimeRange(value: QueryValue): TimeRange {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    return { from: toNumberOrNull(v.from), to: toNumberOrNull(v.to) };
  }
  return { from: toNumberOrNull(value), to: null };
}

function toNumberOrNull(value: unknown): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function readFilter(req: Request): Record<string, unknown> {
  const filter = (req.query as Record<string, unknown>).filter;
  return filter !== null && typeof filter === "object"
    ? (filter as Record<string, unknown>)
    : {};
}

export function readWith(req: Request): Set<string> {
  return new Set(readStringList((req.query as Record<string, unknown>).with));
}

export interface PageParams {
  page: number;
  limit: number;
}

export function readPage(req: Request, maxLimit = MAX_LIMIT): PageParams {
  const q = req.query as Record<string, unknown>;
  const page = Math.max(1, Math.floor(Number(q.page ?? 1)) || 1);
  const limit = Math.floor(Number(q.limit ?? DEFAULT_LIMIT)) || DEFAULT_LIMIT;
  return { page, limit: Math.min(Math.max(limit, 1), maxLimit) };
}

export function inRange(value: number, range: TimeRange): boolean {
  if (range.from !== null && value < range.from) return false;
  if (range.to !== null && value > range.to) return false;
  return true;
}
