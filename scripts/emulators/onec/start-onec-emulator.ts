import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import type { Response } from "express";

import { EmulatorControl } from "./control.js";
import type { Composition, FaultSpec, RequestRecord } from "./control.js";
import { createAdminRouter } from "./create-admin-router.js";
import { renderWebClientPage } from "./render-web-client-page.js";
import {
  HELD_RESPONSE_MS,
  createOdataMiddleware,
} from "./create-odata-middleware.js";
import { IIS_NOT_FOUND_PAGE } from "./render/render-html-pages.js";
import { loadBundledSeeds } from "./load-bundled-seeds.js";
import { OnecStore } from "./state.js";
import type { OnecBaseOptions, OnecSeed } from "./types.js";

export type { Composition, OnecSeed };

export interface OnecEmulatorOptions {
  /** 0 = a free port. */
  port?: number | undefined;
  bases?: OnecBaseOptions[] | undefined;
  /** Default "Администратор": Basic credentials are decoded as UTF-8. */
  user?: string | undefined;
  password?: string | undefined;
  latencyMs?: number | undefined;
  /** Per base: the entity sets in the OData composition (default all). */
  published?: Record<string, string[]> | undefined;
}

export interface OnecEmulator {
  url: string;
  odataUrl(base: string): string;
  stop(): Promise<void>;
  list(base: string, entitySet: string): Record<string, unknown>[];
  get(
    base: string,
    entitySet: string,
    ref: string,
  ): Record<string, unknown> | undefined;
  insert(
    base: string,
    entitySet: string,
    object: Record<string, unknown>,
  ): string;
  setDown(down: boolean): void;
  setLatency(ms: number): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  requests(): RequestRecord[];
  clearRequests(): void;
  /** What the base publishes; reset() restores the starting composition. */
  setComposition(base: string, change: Composition): Composition;
  /** Restores the seeded objects and the starting composition. */
  reset(): void;
}

const DEFAULT_BASES: OnecBaseOptions[] = [
  { name: "ut11", profile: "ut11" },
  { name: "bp30", profile: "bp30" },
];
const BODY_LIMIT = "10mb";

/** Starts an HTTP server answering as 1C's standard OData interface. */
export async function startOnecEmulator(
  options: OnecEmulatorOptions = {},
): Promise<OnecEmulator> {
  const store = new OnecStore(
    options.bases ?? DEFAULT_BASES,
    loadBundledSeeds(),
  );
  const control = new EmulatorControl(
    options.latencyMs ?? 0,
    options.published,
  );
  const held = new Set<Response>();

  const app = createApp({ options, store, control, held });
  const server = await listen(app, options.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    odataUrl: (base) =>
      `${url}/${encodeURIComponent(base)}/odata/standard.odata`,
    stop: () => stopServer(server, held),
    list: (base, set) =>
      store.list(base, set).map((entity) => structuredClone(entity)),
    get: (base, set, ref) => {
      const entity = store.get(base, set, ref);
      return entity && structuredClone(entity);
    },
    insert: (base, set, object) => store.insertRaw(base, set, object),
    setDown: (down) => void (control.down = down),
    setLatency: (ms) => void (control.latencyMs = ms),
    injectFault: (fault) => control.addFault(fault),
    clearFaults: () => control.clearFaults(),
    requests: () => control.requests(),
    clearRequests: () => control.clearRequests(),
    setComposition: (base, change) => control.setComposition(base, change),
    reset: () => {
      store.reset();
      control.resetCompositions();
    },
  };
}

interface AppParts {
  options: OnecEmulatorOptions;
  store: OnecStore;
  control: EmulatorControl;
  held: Set<Response>;
}

function createApp({ options, store, control, held }: AppParts) {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.use("/__admin", createAdminRouter({ store, control }));
  app.get("/:base/ru_RU/", (req, res) => {
    res.type("html").send(renderWebClientPage(String(req.params["base"])));
  });
  app.use(express.text({ type: () => true, limit: BODY_LIMIT }));
  app.use(
    createOdataMiddleware({
      store,
      control,
      user: options.user ?? "Администратор",
      password: options.password ?? "secret",
      hold: (response) => holdResponse(response, held),
    }),
  );
  // anything else is not an OData publication: the web server's own 404
  app.use(
    (_req, res) => void res.status(404).type("html").send(IIS_NOT_FOUND_PAGE),
  );
  return app;
}

/** A `timeout` fault: the socket stays open, then drops without an answer. */
function holdResponse(response: Response, held: Set<Response>): void {
  held.add(response);
  const timer = setTimeout(() => response.socket?.destroy(), HELD_RESPONSE_MS);
  timer.unref();
  response.on("close", () => {
    clearTimeout(timer);
    held.delete(response);
  });
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1", (error?: Error) => {
      if (error) reject(error);
      else resolve(server);
    });
  });
}

function stopServer(server: Server, held: Set<Response>): Promise<void> {
  for (const response of held) response.socket?.destroy();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
