import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";

import type { DealView } from "../../../shared/deal-view.js";
import type { SettingsView } from "../../../shared/settings.js";
import { createHarnessRouter } from "../create-harness-router.js";

/**
 * ONLY for the harness smoke test: one Express app that plays the amoCRM
 * emulator's admin API and the amo1c backend with fixed answers, so the
 * built widget can be loaded in a browser before the real backend runs.
 */
export interface SmokeTestStandInOptions {
  distDir: string;
  deal: DealView;
  settings: SettingsView;
}

export interface SmokeTestStandIn {
  url: string;
  /** X-Auth-Token headers the stand-in backend received. */
  receivedTokens: string[];
  close(): Promise<void>;
}

export async function startSmokeTestStandIn(
  options: SmokeTestStandInOptions,
): Promise<SmokeTestStandIn> {
  const receivedTokens: string[] = [];
  const app = express();
  let url = "";

  app.get("/__admin/state", (_req, res) => {
    res.json({
      seed: {
        account: { subdomain: "vesna", tld: "amocrm.ru" },
        users: [{ id: 8100001, name: "Анна Администраторова", is_admin: true }],
      },
      leads: [{ id: options.deal.dealId, name: "Поставка стеллажей" }],
    });
  });
  app.post("/__admin/disposable-token", (_req, res) => {
    res.json({ token: `smoke-token-${receivedTokens.length + 1}` });
  });
  app.use("/api/v1", (req, _res, next) => {
    receivedTokens.push(String(req.get("x-auth-token")));
    next();
  });
  app.get("/api/v1/deals/:id", (_req, res) => res.json(options.deal));
  app.get("/api/v1/settings", (_req, res) => res.json(options.settings));
  app.get("/api/v1/settings/onec/lists", (_req, res) => {
    res.json({
      organizations: [],
      agreements: [],
      warehouses: [],
      items: [],
      vatRates: [],
    });
  });
  // The router reads both URLs when a request comes, after listen() set them.
  app.use((req, res, next) =>
    createHarnessRouter({
      amocrmEmulatorUrl: url,
      backendUrl: url,
      distDir: options.distDir,
    })(req, res, next),
  );

  const server = await listen(app);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, receivedTokens, close: () => closeServer(server) };
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error?: Error) =>
      error === undefined ? resolve(server) : reject(error),
    );
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error === undefined ? resolve() : reject(error)));
  });
}
