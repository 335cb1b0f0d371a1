import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { Express, Router } from "express";

import type { CheckResult } from "../../../shared/check-result.js";
import {
  createAmocrmConnection,
  type AmocrmConnection,
} from "../amocrm/index.js";
import type { Config } from "../config/load-config.js";
import { createDatabase, type DatabaseHandle } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import { createDealStateRepository } from "../exchange/deal-state-repository.js";
import { createEntityLinksRepository } from "../exchange/entity-links-repository.js";
import { createJournalRepository } from "../exchange/journal-repository.js";
import { createSyncJobHandler } from "../exchange/create-sync-job-handler.js";
import { reconcileDeals } from "../exchange/reconcile-deals.js";
import { createHealthRouter } from "../health/create-health-router.js";
import { createApp } from "../http/create-app.js";
import type { Logger } from "../log.js";
import {
  countWebhooks,
  createMetrics,
  createMetricsRouter,
  timeJobHandler,
  type Metrics,
} from "../observability/index.js";
import type { JobHandler, JobQueue } from "../queue/job-queue.js";
import { createSecretBox } from "../storage/secret-box.js";
import { verifySecretKey } from "../storage/verify-secret-key.js";
import {
  createSecretStore,
  type SecretStore,
} from "../storage/secret-store.js";
import {
  createSettingsStore,
  type SettingsStore,
} from "../storage/settings-store.js";
import {
  createWebhookRouter,
  ensureWebhookSecret,
  webhookUrl,
} from "../webhooks/index.js";
import { buildScheduler } from "./build-scheduler.js";
import { bindRequestId, carryRequestIds } from "./carry-request-ids.js";
import { buildWidgetApiRouter } from "./build-widget-api-router.js";
import { createOnecAccess, type OnecAccess } from "./create-onec-access.js";
import {
  createQueue,
  DEFAULT_MAX_ATTEMPTS,
  jobTimeoutTuning,
  type QueueTuning,
} from "./create-queue.js";

export interface CreateAmo1cOptions {
  config: Config;
  log: Logger;
  queue?: QueueTuning | undefined;
  amocrmRateLimitPerSecond?: number | undefined;
  /** Mounted before the 404 handler (the demo harness). */
  extraRouters?: Router[] | undefined;
  corsExtraOrigins?: string[] | undefined;
  /** false turns the periodic tasks off (tests drive them by hand). */
  schedule?:
    | { reconcileEveryMs?: number; tokenRefreshEveryMs?: number }
    | false
    | undefined;
  syncWaitMs?: number | undefined;
  /** How long stop() waits for open requests; default 30 s. */
  shutdownGraceMs?: number | undefined;
}

export interface Amo1c {
  app: Express;
  database: DatabaseHandle;
  queue: JobQueue;
  amocrm: AmocrmConnection;
  onec: OnecAccess;
  settings: SettingsStore;
  secrets: SecretStore;
  metrics: Metrics;
  handleJob: JobHandler;
  webhookUrl(): Promise<string>;
  runCheck(): Promise<CheckResult>;
  reconcile(): Promise<number>;
  /** Starts the queue workers and the scheduled tasks. */
  start(): Promise<void>;
  listen(
    port?: number,
    host?: string,
  ): Promise<{ server: Server; url: string }>;
  /** Stops accepting requests, finishes running requests and jobs, closes the database. */
  stop(): Promise<void>;
}

/** The composition root: builds every part of amo1c from the config. */
export async function createAmo1c(options: CreateAmo1cOptions): Promise<Amo1c> {
  const { config, log } = options;
  const database = createDatabase(config.database);
  const migration = await migrateToLatest(database.db);
  log.info({ database: database.kind, ...migration }, "database ready");

  const box = createSecretBox(config.secretKey);
  await verifySecretKey(database.db, box);
  const settings = createSettingsStore(database.db);
  const secrets = createSecretStore(database.db, box);
  // The webhook URL is stable from the first start (and the key has
  // something to be checked against on the next).
  await ensureWebhookSecret(secrets);
  const hookUrl = async () =>
    webhookUrl(config.publicUrl, await ensureWebhookSecret(secrets));
  const amocrm = createAmocrmConnection({
    database,
    box,
    secrets,
    settings,
    config,
    log,
    rateLimitPerSecond:
      options.amocrmRateLimitPerSecond ?? config.amocrm.rateLimitPerSecond,
    webhookUrl: hookUrl,
  });
  const onec = createOnecAccess({ database, settings, secrets, log });
  const requestIds = carryRequestIds(
    createQueue(database, log, {
      ...jobTimeoutTuning(config.queue.jobTimeoutSeconds),
      concurrency: config.queue.concurrency,
      ...options.queue,
    }),
  );
  const queue = requestIds.queue;
  const states = createDealStateRepository(database.db);
  const metrics = createMetrics({
    queueCounts: () => queue.counts(),
    connectionView: amocrm.view,
    log,
  });

  const syncJob = createSyncJobHandler({
    amocrm: amocrm.api,
    getOnecGateways: onec.gateways,
    settings,
    states,
    links: createEntityLinksRepository(database.db),
    journal: createJournalRepository(database.db),
    log: log.child({ name: "sync" }),
    maxAttempts: options.queue?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  const handleJob = timeJobHandler(requestIds.wrap(syncJob), metrics);

  const runCheck = async (): Promise<CheckResult> => {
    const [amo, one] = await Promise.all([amocrm.check(), onec.check()]);
    return { ok: amo.ok && one.ok, amocrm: amo, onec: one };
  };
  const reconcile = async () => {
    // Nothing to reconcile before the account is connected.
    if (!(await settings.amocrm())?.accountId) return 0;
    return reconcileDeals({
      amocrm: amocrm.api,
      queue,
      settings,
      states,
      log,
    });
  };

  const app = createApp({
    log,
    routers: [
      bindRequestId(),
      createHealthRouter({ db: database.db, databaseKind: database.kind }),
      createMetricsRouter({
        registry: metrics.registry,
        token: config.metricsToken,
        log,
      }),
      countWebhooks(metrics),
      createWebhookRouter({
        secrets,
        settings,
        queue,
        log: log.child({ name: "webhooks" }),
      }),
      amocrm.callbackRouter(),
      buildWidgetApiRouter({
        config,
        database,
        settings,
        secrets,
        amocrm,
        onec,
        queue,
        states,
        log,
        runCheck,
        webhookUrl: hookUrl,
        corsExtraOrigins: options.corsExtraOrigins,
        syncWaitMs: options.syncWaitMs,
      }),
      ...(options.extraRouters ?? []),
    ],
  });

  const scheduler =
    options.schedule === false
      ? null
      : buildScheduler({
          ...options.schedule,
          database,
          log,
          amocrm,
          reconcile,
        });
  let server: Server | null = null;

  return {
    app,
    database,
    queue,
    amocrm,
    onec,
    settings,
    secrets,
    metrics,
    handleJob,
    webhookUrl: hookUrl,
    runCheck,
    reconcile,

    async start() {
      await queue.start(handleJob);
      scheduler?.start();
    },

    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host, (error?: Error) => {
          if (error) return reject(error);
          server = listening;
          const address = listening.address() as AddressInfo;
          resolve({
            server: listening,
            url: `http://127.0.0.1:${address.port}`,
          });
        });
      });
    },

    async stop() {
      if (server)
        await closeServer(
          server,
          log,
          options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
        );
      await scheduler?.stop();
      await queue.stop();
      await amocrm.stop();
      metrics.stop();
      await database.close();
    },
  };
}

/** How long a stop waits for in-flight requests before cutting them off. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

/**
 * Stops accepting connections and waits for in-flight requests to end, but
 * not forever: a client that keeps its request open (a stalled upload, a
 * half-sent header) must not stop the jobs and the database from closing.
 */
function closeServer(
  server: Server,
  log: Logger,
  graceMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.getConnections((_error, count) => {
        log.warn(
          { openConnections: count, graceMs },
          "connections still open at shutdown; closing them",
        );
        server.closeAllConnections();
      });
    }, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
