import { Router } from "express";
import type { Request } from "express";

import type { EmulatorContext } from "../context.js";
import { sendHal, sendNoContent } from "../http-replies.js";
import { baseUrl, pageBody } from "../present-entities.js";
import { readPage } from "../read-query.js";
import type { SeedUser } from "../types.js";

const RIGHTS_FULL = {
  view: "A",
  edit: "A",
  add: "A",
  delete: "A",
  export: "A",
};

function presentUser(user: SeedUser, req: Request) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    lang: "ru",
    rights: {
      leads: RIGHTS_FULL,
      contacts: RIGHTS_FULL,
      companies: RIGHTS_FULL,
      tasks: { edit: "A", delete: "A" },
      mail_access: true,
      catalog_access: true,
      is_admin: user.is_admin,
      is_free: false,
      is_active: user.is_active ?? true,
      group_id: null,
      role_id: null,
    },
    _links: { self: { href: `${baseUrl(req)}/api/v4/users/${user.id}` } },
  };
}

export function usersRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/users", (req, res) => {
    const users = ctx.state.seed.users.map((u) => presentUser(u, req));
    const body = pageBody({
      req,
      items: users,
      page: readPage(req),
      key: "users",
    });
    if (body === null) {
      sendNoContent(res);
      return;
    }
    sendHal(res, 200, { _total_items: users.length, ...body });
  });

  router.get("/api/v4/users/:id", (req, res) => {
    const user = ctx.state.seed.users.find(
      (u) => u.id === Number(req.params.id),
    );
    if (!user) {
      sendNoContent(res);
      return;
    }
    sendHal(res, 200, presentUser(user, req));
  });
  return router;
}
