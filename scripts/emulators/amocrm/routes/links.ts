import { Router } from "express";
import type { Request, Response } from "express";

import { setLeadCompany, setLeadContacts } from "../change-lead-links.js";
import type { EmulatorContext } from "../context.js";
import type { ApiLocals } from "../guard-api.js";
import type { ValidationError } from "../http-replies.js";
import {
  sendHal,
  sendNoContent,
  sendValidationErrors,
} from "../http-replies.js";
import { baseUrl } from "../present-entities.js";
import { leadHookPart, sendWebhook } from "../send-webhook.js";
import { readFilter, readNumberList, readStringList } from "../read-query.js";
import { findCompany, findContact, findLead, listLinks } from "../state.js";
import type { LeadRecord, LinkView } from "../types.js";

interface LinkItem {
  to_entity_id: number;
  to_entity_type: string;
  metadata: Record<string, unknown> | null;
}

// Lead targets allowed by amoCRM (reference §3.7).
const LEAD_TARGETS = ["contacts", "companies", "catalog_elements"];

function readLinkItems(
  ctx: EmulatorContext,
  body: unknown,
): { items: LinkItem[]; errors: ValidationError[] } {
  const raw = Array.isArray(body) ? (body as unknown[]) : [];
  const items: LinkItem[] = [];
  const errors: ValidationError[] = [];
  if (raw.length === 0) {
    errors.push(itemError(0, "", "Request body must be a non-empty array"));
  }

  raw.forEach((entry, index) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const item: LinkItem = {
      to_entity_id: Number(e.to_entity_id),
      to_entity_type: String(e.to_entity_type ?? ""),
      metadata: (e.metadata as Record<string, unknown> | undefined) ?? null,
    };
    const problem = linkProblem(ctx, item);
    if (problem === null) items.push(item);
    else errors.push(itemError(index, problem.path, problem.detail));
  });
  return { items, errors };
}

function itemError(index: number, path: string, detail: string) {
  return {
    request_id: String(index),
    errors: [{ code: "NotSupportedChoice", path, detail }],
  };
}

function linkProblem(ctx: EmulatorContext, item: LinkItem) {
  if (!LEAD_TARGETS.includes(item.to_entity_type)) {
    return {
      path: "to_entity_type",
      detail: "The value you selected is not a valid choice.",
    };
  }
  const exists =
    item.to_entity_type === "contacts"
      ? findContact(ctx.state, item.to_entity_id) !== null
      : item.to_entity_type === "companies"
        ? findCompany(ctx.state, item.to_entity_id) !== null
        : Number.isInteger(item.to_entity_id) && item.to_entity_id > 0;
  return exists ? null : { path: "to_entity_id", detail: "Entity not found" };
}

function isMainOf(item: LinkItem): boolean {
  // The PHP client sends is_main, responses say main_contact (reference §3.7).
  return (
    item.metadata?.is_main === true || item.metadata?.main_contact === true
  );
}

/** True when the lead's contacts or company changed. */
function applyLink(
  ctx: EmulatorContext,
  lead: LeadRecord,
  item: LinkItem,
  userId: number,
): boolean {
  if (item.to_entity_type === "contacts") {
    const isMain = isMainOf(item);
    const others = lead.contacts
      .filter((c) => c.id !== item.to_entity_id)
      .map((c) => ({ id: c.id, is_main: isMain ? false : c.is_main }));
    const contacts = [...others, { id: item.to_entity_id, is_main: isMain }];
    if (!contacts.some((c) => c.is_main)) contacts[0]!.is_main = true;
    return setLeadContacts(ctx, { lead, contacts, userId });
  }
  if (item.to_entity_type === "companies") {
    return setLeadCompany(ctx, { lead, companyId: item.to_entity_id, userId });
  }
  ctx.state.otherLinks.push({
    entity_id: lead.id,
    entity_type: "leads",
    to_entity_id: item.to_entity_id,
    to_entity_type: item.to_entity_type,
    metadata: item.metadata,
  });
  return false;
}

/** True when the lead's contacts or company changed. */
function applyUnlink(
  ctx: EmulatorContext,
  lead: LeadRecord,
  item: LinkItem,
  userId: number,
): boolean {
  if (item.to_entity_type === "contacts") {
    const contacts = lead.contacts.filter((c) => c.id !== item.to_entity_id);
    if (contacts.length > 0 && !contacts.some((c) => c.is_main)) {
      contacts[0] = { id: contacts[0]!.id, is_main: true };
    }
    return setLeadContacts(ctx, { lead, contacts, userId });
  }
  if (item.to_entity_type === "companies") {
    return (
      lead.company_id === item.to_entity_id &&
      setLeadCompany(ctx, { lead, companyId: null, userId })
    );
  }
  ctx.state.otherLinks = ctx.state.otherLinks.filter(
    (l) =>
      !(
        l.entity_id === lead.id &&
        l.to_entity_id === item.to_entity_id &&
        l.to_entity_type === item.to_entity_type
      ),
  );
  return false;
}

function presentLink(link: LinkView, req: Request) {
  const metadata =
    link.to_entity_type === "contacts"
      ? { main_contact: link.metadata?.main_contact === true, updated_by: 0 }
      : link.metadata;
  return {
    entity_id: link.entity_id,
    entity_type: link.entity_type,
    to_entity_id: link.to_entity_id,
    to_entity_type: link.to_entity_type,
    metadata,
    _links: {
      self: { href: `${baseUrl(req)}/api/v4/leads/${link.entity_id}/links` },
    },
  };
}

type Change = (
  ctx: EmulatorContext,
  lead: LeadRecord,
  item: LinkItem,
  userId: number,
) => boolean;

function handleChange(ctx: EmulatorContext, change: Change, unlink: boolean) {
  return (req: Request, res: Response) => {
    const lead = findLead(ctx.state, Number(req.params.id));
    if (!lead) {
      sendNoContent(res);
      return;
    }
    const { items, errors } = readLinkItems(ctx, req.body);
    if (errors.length > 0) {
      sendValidationErrors(res, errors);
      return;
    }

    const userId = (res.locals as ApiLocals).userId;
    const changed = items
      .map((item) => change(ctx, lead, item, userId))
      .some(Boolean);
    // A link change through the API sends the hook the same change in the
    // UI sends (issue #3): leads[update] (reference §4.2, §4.3).
    if (changed) sendWebhook(ctx, [leadHookPart(ctx, "update", lead)]);
    // Unlink answers 204 (reference §3.7).
    if (unlink) {
      sendNoContent(res);
      return;
    }
    const links = items.map((i) =>
      presentLink({ entity_id: lead.id, entity_type: "leads", ...i }, req),
    );
    sendHal(res, 200, { _total_items: links.length, _embedded: { links } });
  };
}

function matchesLinkFilter(link: LinkView, req: Request): boolean {
  const filter = readFilter(req);
  const ids = readNumberList(filter.to_entity_id);
  const types = readStringList(filter.to_entity_type);
  if (ids.length > 0 && !ids.includes(link.to_entity_id)) return false;
  return types.length === 0 || types.includes(link.to_entity_type);
}

export function linksRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/api/v4/leads/:id/link", handleChange(ctx, applyLink, false));
  router.post("/api/v4/leads/:id/unlink", handleChange(ctx, applyUnlink, true));

  router.get("/api/v4/leads/:id/links", (req, res) => {
    const lead = findLead(ctx.state, Number(req.params.id));
    const links = listLinks(ctx.state).filter(
      (l) =>
        lead !== null && l.entity_id === lead.id && matchesLinkFilter(l, req),
    );
    if (links.length === 0) {
      sendNoContent(res);
      return;
    }
    sendHal(res, 200, {
      _total_items: links.length,
      _links: { self: { href: `${baseUrl(req)}${req.originalUrl}` } },
      _embedded: { links: links.map((l) => presentLink(l, req)) },
    });
  });
  return router;
}
