import { Router } from "express";
import type { Request, Response } from "express";

import { touch } from "../change-lead-links.js";
import type { EmulatorContext } from "../context.js";
import { mergeCustomFields } from "../custom-fields.js";
import type { ApiLocals } from "../guard-api.js";
import type { ValidationError } from "../http-replies.js";
import {
  sendBadRequest,
  sendHal,
  sendNoContent,
  sendValidationErrors,
} from "../http-replies.js";
import {
  baseUrl,
  pageBody,
  presentCompany,
  presentOptionsFor,
} from "../present-entities.js";
import {
  inRange,
  readFilter,
  readNumberList,
  readPage,
  readTimeRange,
} from "../read-query.js";
import { companyHookPart, sendWebhook } from "../send-webhook.js";
import { allocateId, findCompany } from "../state.js";
import type { CompanyRecord } from "../types.js";

function matchesFilter(company: CompanyRecord, req: Request): boolean {
  const filter = readFilter(req);
  const ids = readNumberList(filter.id);
  if (ids.length > 0 && !ids.includes(company.id)) return false;
  if (!inRange(company.updated_at, readTimeRange(filter.updated_at))) {
    return false;
  }
  const query = (req.query as Record<string, unknown>).query;
  return typeof query !== "string" || matchesQuery(company, query);
}

// `query` searches filled fields, INN included (reference §3.3).
function matchesQuery(company: CompanyRecord, query: string): boolean {
  const texts = [
    company.name,
    ...(company.custom_fields_values ?? []).flatMap((f) =>
      f.values.map((v) => String(v.value)),
    ),
  ];
  return texts.some((t) => t.includes(query));
}

interface WriteResult {
  company: CompanyRecord | null;
  errors: ValidationError["errors"];
}

function applyCompanyWrite(
  ctx: EmulatorContext,
  company: CompanyRecord,
  raw: Record<string, unknown>,
): WriteResult {
  const errors: ValidationError["errors"] = [];
  if (raw.name !== undefined && typeof raw.name !== "string") {
    errors.push({
      code: "InvalidType",
      path: "name",
      detail: "This value should be of type string.",
    });
  }
  const merged = mergeCustomFields(
    ctx.state.seed.custom_fields.companies,
    company.custom_fields_values,
    raw.custom_fields_values,
  );
  errors.push(...merged.errors);
  if (errors.length > 0) return { company: null, errors };

  if (typeof raw.name === "string") company.name = raw.name;
  if (typeof raw.responsible_user_id === "number") {
    company.responsible_user_id = raw.responsible_user_id;
  }
  company.custom_fields_values = merged.values;
  return { company, errors };
}

function newCompany(ctx: EmulatorContext, userId: number): CompanyRecord {
  const now = ctx.nowSec();
  return {
    id: 0,
    name: "",
    responsible_user_id: userId,
    custom_fields_values: null,
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
}

function requestIdOf(raw: Record<string, unknown>, index: number): string {
  return typeof raw.request_id === "string" ? raw.request_id : String(index);
}

// POST takes a JSON array; request_id is echoed per item (reference §3.6).
function createCompanies(ctx: EmulatorContext, req: Request, res: Response) {
  if (!Array.isArray(req.body) || req.body.length === 0) {
    sendBadRequest(res, "Request body must be a non-empty array");
    return;
  }
  const userId = (res.locals as ApiLocals).userId;
  const items = req.body as Record<string, unknown>[];
  const drafts = items.map((raw) =>
    applyCompanyWrite(ctx, newCompany(ctx, userId), raw ?? {}),
  );
  const errors = drafts.flatMap((d, i) =>
    d.errors.length > 0
      ? [{ request_id: requestIdOf(items[i] ?? {}, i), errors: d.errors }]
      : [],
  );
  if (errors.length > 0) {
    sendValidationErrors(res, errors);
    return;
  }

  const base = baseUrl(req);
  const companies = drafts.map((d) => d.company!);
  for (const company of companies) {
    company.id = allocateId(ctx.state);
    ctx.state.companies.push(company);
  }
  // A change through the API sends the hook a change in the UI sends
  // (issue #3): contacts[add] with type=company (reference §4.2).
  sendWebhook(
    ctx,
    companies.map((c) => companyHookPart(ctx, "add", c)),
  );
  const created = companies.map((company, i) => ({
    id: company.id,
    request_id: requestIdOf(items[i] ?? {}, i),
    _links: { self: { href: `${base}/api/v4/companies/${company.id}` } },
  }));
  sendHal(res, 200, {
    _links: { self: { href: `${base}/api/v4/companies` } },
    _embedded: { companies: created },
  });
}

function updateCompany(ctx: EmulatorContext, req: Request, res: Response) {
  const company = findCompany(ctx.state, Number(req.params.id));
  if (!company) {
    sendNoContent(res);
    return;
  }
  const draft = structuredClone(company);
  const result = applyCompanyWrite(
    ctx,
    draft,
    (req.body ?? {}) as Record<string, unknown>,
  );
  if (result.errors.length > 0) {
    sendValidationErrors(res, [{ request_id: "0", errors: result.errors }]);
    return;
  }

  Object.assign(company, draft);
  touch(company, ctx.nowSec(), (res.locals as ApiLocals).userId);
  sendWebhook(ctx, [companyHookPart(ctx, "update", company)]);
  const base = baseUrl(req);
  sendHal(res, 200, {
    id: company.id,
    name: company.name,
    updated_at: company.updated_at,
    _links: { self: { href: `${base}/api/v4/companies/${company.id}` } },
  });
}

export function companiesRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/companies", (req, res) => {
    const options = presentOptionsFor(req, ctx);
    const items = ctx.state.companies
      .filter((c) => !c.is_deleted && matchesFilter(c, req))
      .map((c) => presentCompany(c, options));
    const body = pageBody({
      req,
      items,
      page: readPage(req),
      key: "companies",
    });
    if (body === null) sendNoContent(res);
    else sendHal(res, 200, body);
  });

  router.get("/api/v4/companies/:id", (req, res) => {
    const company = findCompany(ctx.state, Number(req.params.id));
    if (!company) sendNoContent(res);
    else
      sendHal(res, 200, presentCompany(company, presentOptionsFor(req, ctx)));
  });

  router.post("/api/v4/companies", (req, res) =>
    createCompanies(ctx, req, res),
  );
  router.patch("/api/v4/companies/:id", (req, res) =>
    updateCompany(ctx, req, res),
  );
  return router;
}
