import { Router } from "express";
import type { Request, Response } from "express";

import type { AmocrmEmulator } from "../emulator-api.js";
import type { AmocrmSeed, FaultKind } from "../types.js";

type Body = Record<string, unknown>;

const FAULT_KINDS: FaultKind[] = [
  "html403",
  "status429",
  "status500",
  "network_close",
];

function body(req: Request): Body {
  const value: unknown = req.body;
  return value !== null && typeof value === "object" ? (value as Body) : {};
}

/** Runs an admin action; a thrown error becomes a JSON error, never a crash. */
function run(res: Response, action: () => unknown): void {
  try {
    const result = action();
    if (result === undefined) res.status(204).end();
    else res.json(result);
  } catch (err) {
    const status = (err as { status?: number }).status ?? 400;
    const message = err instanceof Error ? err.message : String(err);
    res.status(status).json({ error: message });
  }
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function addTokenRoutes(router: Router, emulator: AmocrmEmulator): void {
  router.post("/__admin/oauth/codes", (_req, res) =>
    run(res, () => ({ code: emulator.issueAuthCode() })),
  );
  router.post("/__admin/long-lived-tokens", (req, res) =>
    run(res, () => {
      const expiresAt = new Date(String(body(req).expiresAt));
      if (Number.isNaN(expiresAt.getTime())) {
        throw new Error("expiresAt must be an ISO date");
      }
      return { token: emulator.issueLongLivedToken(expiresAt) };
    }),
  );
  router.post("/__admin/tokens/revoke", (req, res) =>
    run(res, () => emulator.revokeToken(String(body(req).token))),
  );
  router.post("/__admin/tokens/expire", (req, res) =>
    run(res, () => {
      const kind = body(req).kind;
      if (kind === "access") return emulator.expireAccessTokens();
      if (kind === "refresh") return emulator.expireRefreshTokens();
      throw new Error('kind must be "access" or "refresh"');
    }),
  );
  router.post("/__admin/disposable-token", (req, res) =>
    run(res, () => {
      const b = body(req);
      const userId = Number(b.userId);
      if (!Number.isInteger(userId)) throw new Error("userId must be a number");
      const token = emulator.signDisposableToken({
        userId,
        isAdmin: typeof b.isAdmin === "boolean" ? b.isAdmin : undefined,
        aud: optionalString(b.aud),
        accountId: optionalNumber(b.accountId),
        ttlSeconds: optionalNumber(b.ttlSeconds),
      });
      return { token };
    }),
  );
}

function addConfigRoutes(router: Router, emulator: AmocrmEmulator): void {
  router.post("/__admin/clock", (req, res) =>
    run(res, () => emulator.advanceClock(Number(body(req).advanceMs ?? 0))),
  );
  router.put("/__admin/config", (req, res) =>
    run(res, () => {
      const b = body(req);
      if (typeof b.latencyMs === "number") emulator.setLatency(b.latencyMs);
      if (typeof b.rateLimitPerSecond === "number") {
        emulator.setRateLimit(b.rateLimitPerSecond);
      }
    }),
  );
  router.post("/__admin/faults", (req, res) =>
    run(res, () => {
      const b = body(req);
      const kind = b.kind as FaultKind;
      if (!FAULT_KINDS.includes(kind)) {
        throw new Error(`kind must be one of ${FAULT_KINDS.join(", ")}`);
      }
      const pathPrefix = optionalString(b.pathPrefix);
      emulator.injectFault({ kind, count: Number(b.count ?? 1), pathPrefix });
    }),
  );
  router.delete("/__admin/faults", (_req, res) =>
    run(res, () => emulator.clearFaults()),
  );
}

type CreateLead = Parameters<AmocrmEmulator["createLead"]>[0];
type CreateContact = Parameters<AmocrmEmulator["createContact"]>[0];
type CreateCompany = Parameters<AmocrmEmulator["createCompany"]>[0];

// Bodies are passed through as they come: a wrong shape throws inside the
// action and answers 400.
function addEntityRoutes(router: Router, emulator: AmocrmEmulator): void {
  router.post("/__admin/leads", (req, res) =>
    run(res, () => ({ id: emulator.createLead(body(req) as CreateLead) })),
  );
  router.patch("/__admin/leads/:id", (req, res) =>
    run(res, () => emulator.updateLead(Number(req.params.id), body(req))),
  );
  router.post("/__admin/contacts", (req, res) =>
    run(res, () => ({
      id: emulator.createContact(body(req) as CreateContact),
    })),
  );
  router.patch("/__admin/contacts/:id", (req, res) =>
    run(res, () => emulator.updateContact(Number(req.params.id), body(req))),
  );
  router.post("/__admin/companies", (req, res) =>
    run(res, () => ({
      id: emulator.createCompany(body(req) as CreateCompany),
    })),
  );
  router.patch("/__admin/companies/:id", (req, res) =>
    run(res, () => emulator.updateCompany(Number(req.params.id), body(req))),
  );
  router.post("/__admin/webhooks", (req, res) =>
    run(res, () => {
      const b = body(req);
      const settings = Array.isArray(b.settings)
        ? b.settings.map(String)
        : undefined;
      emulator.subscribeWebhook(String(b.destination), settings);
    }),
  );
}

function addInspectRoutes(router: Router, emulator: AmocrmEmulator): void {
  router.get("/__admin", (_req, res) =>
    run(res, () => ({
      url: emulator.url,
      host: emulator.host,
      accountId: emulator.accountId,
      clientId: emulator.clientId,
      redirectUri: emulator.redirectUri,
    })),
  );
  router.get("/__admin/requests", (_req, res) =>
    run(res, () => emulator.requests()),
  );
  router.delete("/__admin/requests", (_req, res) =>
    run(res, () => emulator.clearRequests()),
  );
  router.get("/__admin/state", (_req, res) => run(res, () => emulator.state()));
  router.get("/__admin/webhook-deliveries", (_req, res) =>
    run(res, () => emulator.webhookDeliveries()),
  );
  router.post("/__admin/reset", (req, res) =>
    run(res, () => emulator.reset(body(req).seed as AmocrmSeed | undefined)),
  );
}

/** JSON admin API under /__admin for the demo page and other processes. */
export function adminRoutes(emulator: AmocrmEmulator): Router {
  const router = Router();
  addTokenRoutes(router, emulator);
  addConfigRoutes(router, emulator);
  addEntityRoutes(router, emulator);
  addInspectRoutes(router, emulator);
  return router;
}
