import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Router } from "express";

import { createAmo1c, type Amo1c } from "../../server/src/app/create-amo1c.js";
import type { QueueTuning } from "../../server/src/app/create-queue.js";
import { loadConfig } from "../../server/src/config/load-config.js";
import { createLogger, type Logger } from "../../server/src/log.js";
import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../emulators/amocrm/start-amocrm-emulator.js";
import type { AmocrmSeed } from "../emulators/amocrm/types.js";
import {
  startOnecEmulator,
  type OnecEmulator,
} from "../emulators/onec/start-onec-emulator.js";
import type { OnecSeed } from "../emulators/onec/types.js";
import { configureAmo1c } from "./configure-amo1c.js";
import { findFreePort } from "./find-free-port.js";

export interface StandOptions {
  /** amo1c's port; 0 = a free one. */
  port?: number | undefined;
  amocrmPort?: number | undefined;
  onecPort?: number | undefined;
  amocrmSeed?: AmocrmSeed | undefined;
  onecSeed?: OnecSeed | undefined;
  /** PostgreSQL URL; default a fresh SQLite file. */
  databaseUrl?: string | undefined;
  /** "long_lived" (default) or "oauth" (authorization code, then refresh). */
  tokenMode?: "long_lived" | "oauth" | undefined;
  amocrmLatencyMs?: number | undefined;
  onecLatencyMs?: number | undefined;
  amocrmRateLimitPerSecond?: number | undefined;
  queue?: QueueTuning | undefined;
  exchange?: {
    createCounterpartiesFromContacts?: boolean;
    createCompaniesInAmocrm?: boolean;
  };
  log?: Logger | undefined;
  /** Routers mounted on amo1c's app before its 404 handler (demo pages). */
  extraRouters?: ((stand: StandParts) => Router[]) | undefined;
  syncWaitMs?: number | undefined;
  /**
   * false leaves the queue workers stopped: webhooks are stored as jobs but
   * none runs until `stand.amo1c.start()` (the benchmark's ack phase).
   */
  startWorkers?: boolean | undefined;
}

export interface StandParts {
  amocrm: AmocrmEmulator;
  onec: OnecEmulator;
  publicUrl: string;
}

export interface Stand {
  url: string;
  amo1c: Amo1c;
  amocrm: AmocrmEmulator;
  onec: OnecEmulator;
  /** The UT 11 base's OData root. */
  odataUrl: string;
  /** Signs a widget token for a user, as amoCRM's $authorizedAjax would. */
  widgetToken(userId?: number, isAdmin?: boolean): string;
  stop(): Promise<void>;
}

export const STAND_ONEC_BASE = "ut11";
const ONEC_USER = "Обмен amoCRM";
const ONEC_PASSWORD = randomBytes(9).toString("base64url");

/**
 * amo1c connected to an amoCRM emulator and a 1C emulator (UT 11 base), all
 * in this process: the demo, the acceptance suite and the benchmark run it.
 */
export async function startStand(options: StandOptions = {}): Promise<Stand> {
  // What is started is stopped again, last first: a start that fails half
  // way (a port taken, the Check refused) leaves nothing running behind.
  const stops: (() => Promise<void> | void)[] = [];
  try {
    return await buildStand(options, stops);
  } catch (error) {
    await stopAll(stops).catch(() => undefined);
    throw error;
  }
}

async function stopAll(stops: (() => Promise<void> | void)[]): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop();
}

async function buildStand(
  options: StandOptions,
  stops: (() => Promise<void> | void)[],
): Promise<Stand> {
  const port = options.port || (await findFreePort());
  const publicUrl = `http://127.0.0.1:${port}`;
  const log = options.log ?? createLogger({ level: "silent" });

  const amocrm = await startAmocrmEmulator({
    port: options.amocrmPort ?? 0,
    seed: options.amocrmSeed,
    redirectUri: `${publicUrl}/amocrm/oauth/callback`,
    latencyMs: options.amocrmLatencyMs ?? 0,
    rateLimitPerSecond: 7,
  });
  stops.push(() => amocrm.stop());
  const onec = await startOnecEmulator({
    port: options.onecPort ?? 0,
    bases: [{ name: STAND_ONEC_BASE, profile: "ut11", seed: options.onecSeed }],
    user: ONEC_USER,
    password: ONEC_PASSWORD,
    latencyMs: options.onecLatencyMs ?? 0,
  });
  stops.push(() => onec.stop());

  const dataDir = mkdtempSync(join(tmpdir(), "amo1c-stand-"));
  stops.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: publicUrl,
    DATABASE_URL: options.databaseUrl ?? `file:${join(dataDir, "amo1c.db")}`,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: amocrm.clientId,
    AMOCRM_CLIENT_SECRET: amocrm.clientSecret,
    AMOCRM_BASE_URL: amocrm.url,
  });
  const odataUrl = onec.odataUrl(STAND_ONEC_BASE);

  const amo1c = await createAmo1c({
    config,
    log,
    queue: options.queue,
    amocrmRateLimitPerSecond: options.amocrmRateLimitPerSecond,
    extraRouters: options.extraRouters?.({ amocrm, onec, publicUrl }),
    schedule: false,
    syncWaitMs: options.syncWaitMs,
  });
  stops.push(() => amo1c.stop());

  await configureAmo1c(amo1c, {
    amocrm,
    onec,
    base: STAND_ONEC_BASE,
    onecUser: ONEC_USER,
    onecPassword: ONEC_PASSWORD,
    tokenMode: options.tokenMode,
    exchange: options.exchange,
  });
  if (options.startWorkers ?? true) await amo1c.start();
  await amo1c.listen(port, "127.0.0.1");
  amocrm.subscribeWebhook(await amo1c.webhookUrl());

  return {
    url: publicUrl,
    amo1c,
    amocrm,
    onec,
    odataUrl,
    widgetToken: (userId = adminUserId(amocrm), isAdmin = true) =>
      amocrm.signDisposableToken({ userId, isAdmin }),
    stop: () => stopAll(stops),
  };
}

function adminUserId(amocrm: AmocrmEmulator): number {
  return amocrm.state().seed.users.find((u) => u.is_admin)?.id ?? 0;
}
