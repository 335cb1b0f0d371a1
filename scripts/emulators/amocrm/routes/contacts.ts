import { Router } from "express";
import type { Request } from "express";

import type { EmulatorContext } from "../context.js";
import { sendHal, sendNoContent } from "../http-replies.js";
import {
  pageBody,
  presentContact,
  presentOptionsFor,
} from "../present-entities.js";
import {
  inRange,
  readFilter,
  readNumberList,
  readPage,
  readTimeRange,
} from "../read-query.js";
import { findContact } from "../state.js";
import type { ContactRecord } from "../types.js";

// `query` searches filled fields, phones and e-mails included (reference §3.3).
function matchesQuery(contact: ContactRecord, query: string): boolean {
  const texts = [
    contact.name,
    ...(contact.custom_fields_values ?? []).flatMap((f) =>
      f.values.map((v) => String(v.value)),
    ),
  ];
  return texts.some((t) => t.includes(query));
}

function matchesFilter(contact: ContactRecord, req: Request): boolean {
  const filter = readFilter(req);
  const ids = readNumberList(filter.id);
  if (ids.length > 0 && !ids.includes(contact.id)) return false;
  if (!inRange(contact.updated_at, readTimeRange(filter.updated_at))) {
    return false;
  }
  const query = (req.query as Record<string, unknown>).query;
  return typeof query !== "string" || matchesQuery(contact, query);
}

export function contactsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/contacts", (req, res) => {
    const options = presentOptionsFor(req, ctx);
    const items = ctx.state.contacts
      .filter((c) => !c.is_deleted && matchesFilter(c, req))
      .map((c) => presentContact(c, options));
    const body = pageBody({ req, items, page: readPage(req), key: "contacts" });
    if (body === null) sendNoContent(res);
    else sendHal(res, 200, body);
  });

  router.get("/api/v4/contacts/:id", (req, res) => {
    const contact = findContact(ctx.state, Number(req.params.id));
    if (!contact) sendNoContent(res);
    else
      sendHal(res, 200, presentContact(contact, presentOptionsFor(req, ctx)));
  });
  return router;
}
