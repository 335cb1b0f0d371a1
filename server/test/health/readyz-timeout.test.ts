import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, expect, test } from "vitest";

import {
  createDatabase,
  PG_CONNECT_TIMEOUT_MS,
} from "../../src/db/create-database.js";
import { createHealthRouter } from "../../src/health/create-health-router.js";

// A "PostgreSQL" that accepts TCP connections and never says a word, like
// a stuck proxy in front of the real one.
const sockets: Socket[] = [];
const silent = createServer((socket) => sockets.push(socket));
await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
const pgPort = (silent.address() as AddressInfo).port;

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

test(
  "/readyz answers 503 when PostgreSQL accepts but never answers",
  async () => {
    const database = createDatabase({
      kind: "postgres",
      url: `postgres://amo1c@127.0.0.1:${pgPort}/amo1c`,
    });
    const app = express().use(
      createHealthRouter({ db: database.db, databaseKind: "postgres" }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;

    try {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: "database_unreachable",
      });
      expect(Date.now() - started).toBeLessThan(PG_CONNECT_TIMEOUT_MS + 2000);
    } finally {
      server.close();
      await database.close();
    }
  },
  PG_CONNECT_TIMEOUT_MS + 5000,
);
