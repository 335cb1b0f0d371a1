import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import type { NextFunction, Request, Response } from "express";

import * as admin from "./admin/index.js";
import type { EmulatorContext } from "./context.js";
import { appendBounded, createContext } from "./context.js";
import type { AmocrmEmulator, AmocrmEmulatorOptions } from "./emulator-api.js";
import { delayAndFault, requireToken } from "./guard-api.js";
import { sendNotFound, sendProblem } from "./http-replies.js";
import { accountRoutes } from "./routes/account.js";
import { adminRoutes } from "./routes/admin.js";
import { companiesRoutes } from "./routes/companies.js";
import { contactsRoutes } from "./routes/contacts.js";
import { customFieldsRoutes } from "./routes/custom-fields.js";
import { eventsRoutes } from "./routes/events.js";
import { leadsRoutes } from "./routes/leads.js";
import { linksRoutes } from "./routes/links.js";
import { notesRoutes } from "./routes/notes.js";
import { oauthRoutes } from "./routes/oauth.js";
import { usersRoutes } from "./routes/users.js";
import { subscribe, webhooksRoutes } from "./routes/webhooks.js";
import { signDisposableToken } from "./sign-disposable-token.js";
import { createState, dumpState, findAdminUserId } from "./state.js";
import * as tokens from "./token-registry.js";
import type { AmocrmSeed } from "./types.js";

export type { AmocrmEmulator, AmocrmEmulatorOptions } from "./emulator-api.js";
export type * from "./types.js";

export const DEFAULT_CLIENT_ID = "amo1c-test-client-id";
export const DEFAULT_CLIENT_SECRET = "amo1c-test-client-secret";
export const DEFAULT_REDIRECT_URI = "http://127.0.0.1/amocrm/oauth/callback";
export const DEFAULT_RATE_LIMIT_PER_SECOND = 7;
const BODY_LIMIT = "5mb";

/** The bundled seed.json. */
export function loadDefaultSeed(): AmocrmSeed {
  const file = new URL("./seed.json", import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")) as AmocrmSeed;
}

function isAdminPath(path: string): boolean {
  return path === "/__admin" || path.startsWith("/__admin/");
}

// Every answer carries X-Request-Id (reference §3.1); every non-admin
// request lands in the request log, status 0 when the socket was dropped.
function recordRequests(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.set("X-Request-Id", randomBytes(8).toString("hex"));
    if (isAdminPath(req.path)) {
      next();
      return;
    }
    const entry = {
      method: req.method,
      path: req.path,
      url: req.originalUrl,
      status: 0,
      at: ctx.now(),
    };
    appendBounded(ctx.requestLog, entry);
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    next();
  };
}

function isProtocolPath(path: string): boolean {
  return path.startsWith("/api/v4") || path.startsWith("/oauth2");
}

function handleError(
  err: unknown,
  _req: Request,
  res: Response,
  _next: NextFunction,
): void {
  if (res.headersSent) return;
  const status = (err as { status?: number }).status;
  if (status === 400 || status === 413 || status === 415) {
    const parseFailed =
      (err as { type?: string }).type === "entity.parse.failed";
    const detail = parseFailed ? "Request body is malformed" : "Bad Request";
    sendProblem(res, { status, title: "Bad Request", detail });
    return;
  }
  sendProblem(res, {
    status: 500,
    title: "Internal Server Error",
    detail: "An unknown error occurred.",
  });
}

function buildApp(ctx: EmulatorContext, emulator: AmocrmEmulator) {
  const app = express();
  app.set("query parser", "extended");
  app.disable("x-powered-by");
  app.use(recordRequests(ctx));
  app.use(
    express.json({
      type: ["application/json", "application/*+json"],
      limit: BODY_LIMIT,
    }),
  );
  app.use(express.urlencoded({ extended: true, limit: BODY_LIMIT }));

  const delay = delayAndFault(ctx);
  app.use((req, res, next) => {
    if (isProtocolPath(req.path)) delay(req, res, next).catch(next);
    else next();
  });
  app.use(oauthRoutes(ctx));
  app.use("/api/v4", requireToken(ctx));
  // custom_fields and pipelines before leads/:id.
  // The API serves what amo1c calls; tasks, tags, unsorted, customers,
  // catalogs, leads/complex and contact creation are not served.
  for (const routes of [
    customFieldsRoutes,
    accountRoutes,
    usersRoutes,
    leadsRoutes,
    linksRoutes,
    notesRoutes,
    contactsRoutes,
    companiesRoutes,
    webhooksRoutes,
    eventsRoutes,
  ]) {
    app.use(routes(ctx));
  }
  app.use(adminRoutes(emulator));
  app.use((_req, res) => sendNotFound(res));
  app.use(handleError);
  return app;
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1");
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts an in-memory amoCRM on 127.0.0.1 that answers like the real one. */
export async function startAmocrmEmulator(
  options: AmocrmEmulatorOptions = {},
): Promise<AmocrmEmulator> {
  const ctx = createContext({
    seed: options.seed ?? loadDefaultSeed(),
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUri: options.redirectUri ?? DEFAULT_REDIRECT_URI,
    config: {
      latencyMs: options.latencyMs ?? 0,
      rateLimitPerSecond:
        options.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT_PER_SECOND,
    },
    now: options.now ?? Date.now,
  });
  const emulator = createEmulatorHandle(ctx);
  const server = await listen(buildApp(ctx, emulator), options.port ?? 0);

  emulator.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator.stop = async () => {
    ctx.stopped = true;
    for (const timer of ctx.timers) clearTimeout(timer);
    ctx.timers.clear();
    await Promise.allSettled([...ctx.pendingDeliveries]);
    await closeServer(server);
  };
  return emulator;
}

type Handle = AmocrmEmulator;

function tokenControls(ctx: EmulatorContext) {
  const adminId = () => findAdminUserId(ctx.state.seed);
  return {
    issueAuthCode: () => tokens.issueAuthCode(ctx, adminId()),
    issueLongLivedToken: (expiresAt: Date) =>
      tokens.issueLongLivedToken(ctx, adminId(), expiresAt),
    revokeToken: (token: string) => tokens.revokeToken(ctx, token),
    expireAccessTokens: () => tokens.expireAccessTokens(ctx),
    expireRefreshTokens: () => tokens.expireRefreshTokens(ctx),
    signDisposableToken: (opts: Parameters<Handle["signDisposableToken"]>[0]) =>
      signDisposableToken(ctx, opts),
  };
}

function configControls(ctx: EmulatorContext) {
  return {
    advanceClock: (ms: number) => ctx.advanceClock(ms),
    setLatency: (ms: number) => {
      ctx.config.latencyMs = Math.max(0, ms);
    },
    setRateLimit: (perSecond: number) => {
      ctx.config.rateLimitPerSecond = Math.max(0, perSecond);
      ctx.rateLimiter.clear();
    },
    injectFault: (f: Parameters<Handle["injectFault"]>[0]) => {
      const pathPrefix = f.pathPrefix ?? "/";
      ctx.faults.push({ kind: f.kind, remaining: f.count, pathPrefix });
    },
    clearFaults: () => {
      ctx.faults = [];
    },
  };
}

function entityControls(ctx: EmulatorContext) {
  return {
    updateLead: (id: number, patch: Parameters<Handle["updateLead"]>[1]) =>
      admin.updateLead(ctx, id, patch),
    createLead: (l: Parameters<Handle["createLead"]>[0]) =>
      admin.createLead(ctx, l),
    createContact: (c: Parameters<Handle["createContact"]>[0]) =>
      admin.createContact(ctx, c),
    updateContact: (id: number, p: Parameters<Handle["updateContact"]>[1]) =>
      admin.updateContact(ctx, id, p),
    createCompany: (c: Parameters<Handle["createCompany"]>[0]) =>
      admin.createCompany(ctx, c),
    updateCompany: (id: number, p: Parameters<Handle["updateCompany"]>[1]) =>
      admin.updateCompany(ctx, id, p),
    subscribeWebhook: (destination: string, settings?: string[]) => {
      const userId = findAdminUserId(ctx.state.seed);
      const wanted = settings ?? ALL_HOOK_SETTINGS;
      subscribe(ctx, { destination, settings: wanted, userId });
    },
  };
}

function inspectControls(ctx: EmulatorContext) {
  return {
    requests: () => ctx.requestLog.map((r) => ({ ...r })),
    clearRequests: () => {
      ctx.requestLog.length = 0;
    },
    state: () => dumpState(ctx.state),
    reset: (seed?: AmocrmSeed) => {
      const next = seed ?? structuredClone(ctx.state.seed);
      ctx.state = createState(next, ctx.nowSec());
    },
    webhookDeliveries: () => ctx.deliveries.map((d) => ({ ...d })),
  };
}

function createEmulatorHandle(ctx: EmulatorContext): AmocrmEmulator {
  return {
    url: "",
    host: ctx.host,
    accountId: ctx.accountId,
    clientId: ctx.clientId,
    clientSecret: ctx.clientSecret,
    redirectUri: ctx.redirectUri,
    stop: () => Promise.resolve(),
    ...tokenControls(ctx),
    ...configControls(ctx),
    ...entityControls(ctx),
    ...inspectControls(ctx),
  };
}

const ALL_HOOK_SETTINGS = [
  "add_lead",
  "update_lead",
  "delete_lead",
  "status_lead",
  "add_contact",
  "update_contact",
  "delete_contact",
  "add_company",
  "update_company",
  "delete_company",
];
