import { Router } from "express";
import type { Request } from "express";

import type { EmulatorContext } from "../context.js";
import { sendHal, sendNoContent } from "../http-replies.js";
import { baseUrl, pageBody } from "../present-entities.js";
import {
  inRange,
  readFilter,
  readNumberList,
  readPage,
  readStringList,
  readTimeRange,
} from "../read-query.js";
import type { EventRecord } from "../types.js";

// Events are listed at most 100 per page (reference §3.10).
const EVENTS_MAX_LIMIT = 100;

function matchesFilter(event: EventRecord, req: Request): boolean {
  const filter = readFilter(req);
  const types = readStringList(filter.type);
  if (types.length > 0 && !types.includes(event.type)) return false;
  const entities = readStringList(filter.entity);
  if (entities.length > 0 && !entities.includes(event.entity_type)) {
    return false;
  }
  const entityIds = readNumberList(filter.entity_id);
  if (entityIds.length > 0 && !entityIds.includes(event.entity_id)) {
    return false;
  }
  const ids = readStringList(filter.id);
  if (ids.length > 0 && !ids.includes(event.id)) return false;
  return inRange(event.created_at, readTimeRange(filter.created_at));
}

function presentEvent(event: EventRecord, req: Request) {
  const base = baseUrl(req);
  return {
    ...event,
    _links: { self: { href: `${base}/api/v4/events/${event.id}` } },
    _embedded: {
      entity: {
        id: event.entity_id,
        _links: {
          self: {
            href: `${base}/api/v4/${event.entity_type}s/${event.entity_id}`,
          },
        },
      },
    },
  };
}

export function eventsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/events", (req, res) => {
    // Newest first.
    const items = ctx.state.events
      .filter((e) => matchesFilter(e, req))
      .reverse()
      .map((e) => presentEvent(e, req));
    const page = readPage(req, EVENTS_MAX_LIMIT);
    const body = pageBody({ req, items, page, key: "events" });
    if (body === null) sendNoContent(res);
    else sendHal(res, 200, body);
  });

  router.get("/api/v4/events/:id", (req, res) => {
    const event = ctx.state.events.find((e) => e.id === req.params.id);
    if (!event) sendNoContent(res);
    else sendHal(res, 200, presentEvent(event, req));
  });
  return router;
}
