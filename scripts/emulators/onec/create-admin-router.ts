import express from "express";
import type { Request, Response } from "express";
import { z } from "zod";

import type { EmulatorControl } from "./control.js";
import type { OnecStore } from "./state.js";

const configSchema = z.object({
  down: z.boolean().optional(),
  latencyMs: z.number().int().min(0).optional(),
});

const compositionSchema = z.object({
  sets: z.array(z.string()).nullable().optional(),
  unpublishedFields: z.array(z.string()).optional(),
});

const faultSchema = z.object({
  kind: z.enum([
    "status503",
    "timeout",
    "business_refusal",
    "html_login",
    "access_denied",
  ]),
  count: z.number().int().min(1),
  method: z.enum(["GET", "POST", "PATCH"]).optional(),
  entitySet: z.string().optional(),
  message: z.string().optional(),
});

export interface AdminRouterOptions {
  store: OnecStore;
  control: EmulatorControl;
}

/** JSON admin API under /__admin for the demo page and other processes. */
export function createAdminRouter({ store, control }: AdminRouterOptions) {
  const router = express.Router();
  router.use(express.json({ limit: "5mb" }));

  router.get("/requests", (_req, res) => void res.json(control.requests()));
  router.delete("/requests", (_req, res) => {
    control.clearRequests();
    res.status(204).end();
  });
  router.put("/config", (req, res) => {
    const config = parseOr400(configSchema, req, res);
    if (!config) return;
    if (config.down !== undefined) control.down = config.down;
    if (config.latencyMs !== undefined) control.latencyMs = config.latencyMs;
    res.json({ down: control.down, latencyMs: control.latencyMs });
  });
  router.post("/faults", (req, res) => {
    const fault = parseOr400(faultSchema, req, res);
    if (!fault) return;
    control.addFault(fault);
    res.status(201).json(fault);
  });
  router.delete("/faults", (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });
  router.put("/composition/:base", (req, res) => {
    const change = parseOr400(compositionSchema, req, res);
    if (!change) return;
    const { sets, ...rest } = change;
    const next = control.setComposition(String(req.params.base), {
      ...rest,
      // null puts every set back into the composition
      ...(sets !== undefined ? { sets: sets ?? undefined } : {}),
    });
    res.json(next);
  });
  router.post("/reset", (_req, res) => {
    store.reset();
    control.resetCompositions();
    res.status(204).end();
  });

  addObjectRoutes(router, store);
  return router;
}

function addObjectRoutes(router: express.Router, store: OnecStore): void {
  const known = (req: Request, res: Response): boolean => {
    const { base, entitySet } = req.params as Record<string, string>;
    if (store.base(base ?? "")?.sets.has(entitySet ?? "")) return true;
    res.status(404).json({ error: `unknown entity set ${base}/${entitySet}` });
    return false;
  };

  router.get("/:base/:entitySet", (req, res) => {
    if (known(req, res))
      res.json(store.list(req.params.base, req.params.entitySet));
  });
  router.get("/:base/:entitySet/:ref", (req, res) => {
    if (!known(req, res)) return;
    const entity = store.get(
      req.params.base,
      req.params.entitySet,
      req.params.ref,
    );
    if (entity) res.json(entity);
    else res.status(404).json({ error: `no object ${req.params.ref}` });
  });
  router.post("/:base/:entitySet", (req, res) => {
    if (!known(req, res)) return;
    const ref = store.insertRaw(
      req.params.base,
      req.params.entitySet,
      req.body as Record<string, unknown>,
    );
    res.status(201).json({ Ref_Key: ref });
  });
}

function parseOr400<T>(
  schema: z.ZodType<T>,
  req: Request,
  res: Response,
): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: z.prettifyError(parsed.error) });
  return undefined;
}
