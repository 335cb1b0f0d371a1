import { Router } from "express";

import type { EmulatorContext } from "../context.js";
import { sendHal, sendNoContent } from "../http-replies.js";
import { pageBody } from "../present-entities.js";
import { readPage } from "../read-query.js";

const ENTITY_TYPES = ["leads", "contacts", "companies"] as const;

// GET /api/v4/{entity}/custom_fields, paginated (reference §3.5).
export function customFieldsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  for (const entity of ENTITY_TYPES) {
    router.get(`/api/v4/${entity}/custom_fields`, (req, res) => {
      const items = ctx.state.seed.custom_fields[entity].map((d, i) => ({
        id: d.id,
        name: d.name,
        type: d.type,
        account_id: ctx.accountId,
        code: d.code,
        sort: d.sort ?? (i + 1) * 10,
        is_api_only: false,
        enums: d.enums ?? null,
        group_id: null,
        required_statuses: [],
        is_deletable: d.code === null,
        is_predefined: d.code !== null,
        entity_type: entity,
      }));
      const body = pageBody({
        req,
        items,
        page: readPage(req),
        key: "custom_fields",
      });
      if (body === null) sendNoContent(res);
      else sendHal(res, 200, { _total_items: items.length, ...body });
    });
  }

  addPipelinesRoute(router, ctx);
  return router;
}

// GET /api/v4/leads/pipelines with their stages, 142/143 included.
function addPipelinesRoute(router: Router, ctx: EmulatorContext): void {
  router.get("/api/v4/leads/pipelines", (_req, res) => {
    const pipelines = ctx.state.seed.pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      sort: 1,
      is_main: p.is_main,
      is_unsorted_on: true,
      is_archive: false,
      account_id: ctx.accountId,
      _embedded: {
        statuses: p.statuses.map((s) => ({
          ...s,
          pipeline_id: p.id,
          is_editable: true,
          type: 0,
          account_id: ctx.accountId,
        })),
      },
    }));
    sendHal(res, 200, {
      _total_items: pipelines.length,
      _embedded: { pipelines },
    });
  });
}
