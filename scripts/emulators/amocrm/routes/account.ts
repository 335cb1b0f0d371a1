import { Router } from "express";

import type { EmulatorContext } from "../context.js";
import type { ApiLocals } from "../guard-api.js";
import { sendHal } from "../http-replies.js";
import { baseUrl } from "../present-entities.js";
import { readWith } from "../read-query.js";

// GET /api/v4/account base fields and a few `with` parts (reference §3.2).
export function accountRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/account", (req, res) => {
    const { account } = ctx.state.seed;
    const withSet = readWith(req);
    const createdAt = ctx.state.seed.created_at ?? 0;
    const body: Record<string, unknown> = {
      id: account.id,
      name: account.name,
      subdomain: account.subdomain,
      created_at: createdAt,
      created_by: 0,
      updated_at: createdAt,
      updated_by: 0,
      current_user_id: (res.locals as ApiLocals).userId,
      country: account.tld === "amocrm.ru" ? "RU" : "US",
      currency: account.tld === "amocrm.ru" ? "RUB" : "USD",
      currency_symbol: account.tld === "amocrm.ru" ? "₽" : "$",
      customers_mode: "disabled",
      is_unsorted_on: true,
      is_loss_reason_enabled: true,
      is_helpbot_enabled: false,
      is_technical_account: false,
      contact_name_display_order: 1,
      _links: { self: { href: `${baseUrl(req)}/api/v4/account` } },
    };
    if (withSet.has("amojo_id")) body.amojo_id = `amojo-${account.id}`;
    if (withSet.has("version")) body.version = 1;
    if (withSet.has("drive_url")) {
      body.drive_url = `https://drive-b.${account.tld}`;
    }
    sendHal(res, 200, body);
  });
  return router;
}
