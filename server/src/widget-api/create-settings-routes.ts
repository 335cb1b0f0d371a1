import express, { Router, type RequestHandler } from "express";
import type { z } from "zod";

import type { CheckResult } from "../../../shared/check-result.js";
import {
  settingsInputSchema,
  type ConnectionView,
  type SettingsView,
} from "../../../shared/settings.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { SecretName, SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";

export interface OnecDefaultsLists {
  organizations: { ref: string; name: string }[];
  agreements: { ref: string; name: string }[];
  warehouses: { ref: string; name: string }[];
  items: { ref: string; name: string }[];
  /** Empty where VAT rates are an enum (BP 3.0). */
  vatRates: { ref: string; name: string }[];
}

export interface SettingsRoutesOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  requireAdmin: RequestHandler;
  clientId: string;
  redirectUri: string;
  webhookUrl: () => Promise<string>;
  connection: () => Promise<ConnectionView>;
  runCheck: () => Promise<CheckResult>;
  listOnecDefaults: () => Promise<OnecDefaultsLists>;
  log: Logger;
}

export function createSettingsRoutes(options: SettingsRoutesOptions): Router {
  const router = Router();
  const admin = options.requireAdmin;

  router.get("/api/v1/settings", admin, async (_req, res) => {
    res.json(await buildSettingsView(options));
  });

  router.put(
    "/api/v1/settings",
    admin,
    express.json({ limit: "64kb" }),
    async (req, res) => {
      await saveSettings(options, parseInput(req.body));
      options.log.info({ userId: req.widgetUser?.user_id }, "settings saved");
      res.json(await buildSettingsView(options));
    },
  );

  router.post("/api/v1/settings/check", admin, async (req, res) => {
    const result = await options.runCheck();
    options.log.info(
      { userId: req.widgetUser?.user_id, ok: result.ok },
      "settings checked",
    );
    res.json(result);
  });

  router.get("/api/v1/settings/onec/lists", admin, async (_req, res) => {
    res.json(await options.listOnecDefaults());
  });

  return router;
}

type SettingsInput = z.output<typeof settingsInputSchema>;

function parseInput(body: unknown): SettingsInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError(
      "bad_request",
      "Send the settings as a JSON object with Content-Type: application/json",
      { status: 400 },
    );
  }
  const parsed = settingsInputSchema.safeParse(body);
  if (parsed.success) return parsed.data;

  const issues = parsed.error.issues.flatMap(perField);
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[issue.path.join(".")] ??= issue.message;
  // Lead with a value the caller sent wrongly, not a section left out.
  const sent = issues.find((issue) => valueAt(body, issue.path) !== undefined);
  const first = sent ?? issues[0];
  const firstPath = first?.path.join(".") || "settings";
  const firstMessage = first?.message ?? "invalid";
  throw new AppError(
    "validation_failed",
    `Check the field ${firstPath}: ${firstMessage}`,
    {
      status: 400,
      fields,
    },
  );
}

interface FieldIssue {
  path: PropertyKey[];
  message: string;
}

/** An unknown key is told at its own path, so the widget marks that field. */
function perField(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code !== "unrecognized_keys") return [issue];
  return issue.keys.map((key) => ({
    path: [...issue.path, key],
    message: "amo1c has no such setting: check its spelling or remove it",
  }));
}

function valueAt(body: object, path: PropertyKey[]): unknown {
  let value: unknown = body;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

async function saveSettings(
  options: SettingsRoutesOptions,
  input: SettingsInput,
): Promise<void> {
  const { accessToken, authCode, ...amocrm } = input.amocrm;
  const { password, ...onec } = input.onec;
  const previous = await options.settings.amocrm();

  // Another account host means another account: the binding starts over.
  const accountId = previous?.host === amocrm.host ? previous.accountId : null;
  await options.settings.put("amocrm", { ...amocrm, accountId });
  await options.settings.put("onec", onec);
  await options.settings.put("exchange", input.exchange);

  await writeSecret(options.secrets, "amocrm.long_lived_token", accessToken);
  await writeSecret(options.secrets, "amocrm.auth_code", authCode);
  await writeSecret(options.secrets, "onec.password", password);
}

/** Secrets are write-only: absent keeps the stored value, "" clears it. */
async function writeSecret(
  secrets: SecretStore,
  name: SecretName,
  value: string | undefined,
): Promise<void> {
  if (value === undefined) return;
  if (value === "") await secrets.delete(name);
  else await secrets.put(name, value);
}

async function buildSettingsView(
  options: SettingsRoutesOptions,
): Promise<SettingsView> {
  const [
    amocrm,
    onec,
    exchange,
    token,
    code,
    password,
    webhookUrl,
    connection,
  ] = await Promise.all([
    options.settings.amocrm(),
    options.settings.onec(),
    options.settings.exchange(),
    options.secrets.get("amocrm.long_lived_token"),
    options.secrets.get("amocrm.auth_code"),
    options.secrets.get("onec.password"),
    options.webhookUrl(),
    options.connection(),
  ]);

  return {
    amocrm: {
      host: amocrm?.host ?? "",
      longLivedToken: amocrm?.longLivedToken ?? false,
      tokenExpiresOn: amocrm?.tokenExpiresOn ?? "",
      accountId: amocrm?.accountId ?? null,
      warnDaysBeforeExpiry: amocrm?.warnDaysBeforeExpiry ?? 14,
      accessTokenMasked: token ? `…${token.slice(-4)}` : null,
      authCodeSet: code !== null,
      redirectUri: options.redirectUri,
      clientId: options.clientId,
    },
    onec: onec ? { ...onec, passwordSet: password !== null } : null,
    exchange,
    webhookUrl,
    connection,
  };
}
