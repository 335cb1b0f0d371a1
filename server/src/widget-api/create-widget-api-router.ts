import { Router } from "express";

import type { DealRoutesOptions } from "./create-deal-routes.js";
import { createDealRoutes } from "./create-deal-routes.js";
import type { SettingsRoutesOptions } from "./create-settings-routes.js";
import { createSettingsRoutes } from "./create-settings-routes.js";
import {
  createWidgetAuth,
  type WidgetAuthOptions,
} from "./create-widget-auth.js";
import {
  createWidgetCors,
  type WidgetCorsOptions,
} from "./create-widget-cors.js";

export interface WidgetApiOptions {
  cors: WidgetCorsOptions;
  auth: WidgetAuthOptions;
  deals: DealRoutesOptions;
  settings: Omit<SettingsRoutesOptions, "requireAdmin">;
}

/** /api/v1: CORS for the account origin, then every call token-verified. */
export function createWidgetApiRouter(options: WidgetApiOptions): Router {
  const router = Router();
  const { authenticate, requireAdmin } = createWidgetAuth(options.auth);

  router.use("/api/v1", createWidgetCors(options.cors));
  router.use("/api/v1", authenticate);
  router.use(createDealRoutes(options.deals));
  router.use(createSettingsRoutes({ ...options.settings, requireAdmin }));
  return router;
}
