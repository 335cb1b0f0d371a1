import express, { Router } from "express";
import { z } from "zod";

import type { AmocrmEmulator } from "../emulators/amocrm/start-amocrm-emulator.js";
import type { OnecEmulator } from "../emulators/onec/start-onec-emulator.js";
import { renderDemoPage } from "./render-demo-page.js";

/** The 1C catalogs and documents the demo page shows, read-only. */
const ONEC_SETS = [
  "Catalog_Партнеры",
  "Catalog_Контрагенты",
  "Catalog_КонтактныеЛицаПартнеров",
  "Document_ЗаказКлиента",
] as const;

const leadEditSchema = z.object({
  price: z.number().nonnegative().optional(),
  name: z.string().min(1).max(255).optional(),
  mainContactId: z.number().int().positive().nullable().optional(),
  companyId: z.number().int().positive().nullable().optional(),
});

export interface DemoRouterOptions {
  amocrm: AmocrmEmulator;
  onec: OnecEmulator;
  onecBase: string;
  /** Where the harness page opens a deal card: `${harnessPath}?deal=<id>`. */
  harnessPath: string;
}

/**
 * The demo stand's page: pick a deal, edit it through the amoCRM emulator
 * (which sends amoCRM's webhook to amo1c), and watch 1C's data change.
 */
export function createDemoRouter(options: DemoRouterOptions): Router {
  const router = Router();
  const { amocrm, onec } = options;

  router.get("/", (_req, res) => res.redirect("/demo"));
  router.get("/demo", (_req, res) => {
    res.type("html").send(renderDemoPage({ harnessPath: options.harnessPath }));
  });

  router.get("/demo/state.json", (_req, res) => {
    const state = amocrm.state();
    const onecData = Object.fromEntries(
      ONEC_SETS.map((set) => [set, onec.list(options.onecBase, set)]),
    );
    res.json({
      leads: state.leads,
      contacts: state.contacts,
      companies: state.companies,
      onec: onecData,
    });
  });

  router.post("/demo/leads/:id", express.json(), (req, res) => {
    const edit = leadEditSchema.parse(req.body);
    const patch: Parameters<AmocrmEmulator["updateLead"]>[1] = {};
    if (edit.price !== undefined) patch.price = edit.price;
    if (edit.name !== undefined) patch.name = edit.name;
    if (edit.companyId !== undefined) patch.companyId = edit.companyId;
    if (edit.mainContactId !== undefined) {
      patch.contacts =
        edit.mainContactId === null
          ? []
          : [{ id: edit.mainContactId, is_main: true }];
    }
    amocrm.updateLead(Number(req.params["id"]), patch);
    res.json({ ok: true });
  });

  router.post("/demo/contacts", express.json(), (req, res) => {
    const body = z
      .object({
        name: z.string().min(1),
        phone: z.string().optional(),
        email: z.string().optional(),
      })
      .parse(req.body);
    res.json({ id: amocrm.createContact(stripUndefined(body)) });
  });

  return router;
}

function stripUndefined<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as never;
}
