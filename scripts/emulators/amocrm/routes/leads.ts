import { Router } from "express";
import type { Request, Response } from "express";

import type { EmulatorContext } from "../context.js";
import { sendHal, sendNoContent } from "../http-replies.js";
import {
  pageBody,
  presentLead,
  presentOptionsFor,
} from "../present-entities.js";
import {
  inRange,
  readFilter,
  readNumberList,
  readPage,
  readTimeRange,
} from "../read-query.js";
import { findLead } from "../state.js";
import type { LeadRecord } from "../types.js";

function matchesFilter(lead: LeadRecord, req: Request): boolean {
  const filter = readFilter(req);
  const ids = readNumberList(filter.id);
  if (ids.length > 0 && !ids.includes(lead.id)) return false;
  if (!inRange(lead.updated_at, readTimeRange(filter.updated_at))) {
    return false;
  }
  if (!inRange(lead.created_at, readTimeRange(filter.created_at))) {
    return false;
  }
  const pipelines = readNumberList(filter.pipeline_id);
  if (pipelines.length > 0 && !pipelines.includes(lead.pipeline_id)) {
    return false;
  }
  const query = (req.query as Record<string, unknown>).query;
  return typeof query !== "string" || lead.name.includes(query);
}

function listLeads(ctx: EmulatorContext, req: Request, res: Response) {
  const options = presentOptionsFor(req, ctx);
  const items = ctx.state.leads
    .filter((l) => !l.is_deleted && matchesFilter(l, req))
    .map((l) => presentLead(l, options));
  const body = pageBody({ req, items, page: readPage(req), key: "leads" });

  if (body === null) {
    sendNoContent(res);
    return;
  }
  sendHal(res, 200, body);
}

export function leadsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/leads", (req, res) => listLeads(ctx, req, res));

  // A missing or deleted lead answers 204 with an empty body (reference §3.8).
  router.get("/api/v4/leads/:id", (req, res) => {
    const lead = findLead(ctx.state, Number(req.params.id));
    if (!lead) {
      sendNoContent(res);
      return;
    }
    sendHal(res, 200, presentLead(lead, presentOptionsFor(req, ctx)));
  });
  return router;
}
