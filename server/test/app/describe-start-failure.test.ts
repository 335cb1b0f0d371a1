import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { createDatabase } from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { describeStartFailure } from "../../src/describe-start-failure.js";
import { AppError } from "../../src/errors.js";

const postgres = (url: string) => ({ kind: "postgres" as const, url });

/** What a start on this database throws. */
async function startFailure(url: string): Promise<unknown> {
  const database = createDatabase(postgres(url));
  try {
    await migrateToLatest(database.db);
    throw new Error("the database unexpectedly answered");
  } catch (error) {
    return error;
  } finally {
    await database.close();
  }
}

/** A pg server error as node-postgres throws it, wrapped as the migrator does. */
function serverRefusal(code: string, message: string): AppError {
  const cause = Object.assign(new Error(message), { code });
  return new AppError("db_unavailable", "Cannot prepare the database", {
    cause,
  });
}

describe("describeStartFailure on PostgreSQL", () => {
  it("names DATABASE_URL and host:port, not the password, when nothing listens", async () => {
    const port = await findFreePort();
    const url = `postgres://amo1c:s3cret@127.0.0.1:${port}/amo1c`;

    const line = describeStartFailure(await startFailure(url), {
      database: postgres(url),
    });

    expect(line).toBe(
      `PostgreSQL at 127.0.0.1:${port} (DATABASE_URL) refused the connection: check that PostgreSQL runs there and listens on that port (listen_addresses, port)`,
    );
    expect(line).not.toContain("s3cret");
  });

  it.each([
    ["28P01", 'password authentication failed for user "amo1c"', /password/],
    ["28000", 'role "nosuchuser" does not exist', /role .+ exists/],
    ["3D000", 'database "nosuch" does not exist', /createdb/],
  ])("explains pg code %s with what to check", (code, message, advice) => {
    const url = "postgres://nosuchuser:pw@db.example:6432/nosuch";

    const line = describeStartFailure(serverRefusal(code, message), {
      database: postgres(url),
    });

    expect(line).toMatch(/^PostgreSQL at db\.example:6432 \(DATABASE_URL\) /);
    expect(line).toMatch(advice);
  });

  it("explains a host that does not resolve and a connection timeout", () => {
    const database = postgres("postgres://u:pw@db.invalid/amo1c");
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND"), {
      code: "ENOTFOUND",
    });
    const timeout = new Error(
      "Connection terminated due to connection timeout",
    );

    expect(describeStartFailure(notFound, { database })).toMatch(
      /^PostgreSQL at db\.invalid:5432 \(DATABASE_URL\) cannot be found/,
    );
    expect(describeStartFailure(timeout, { database })).toMatch(
      /did not answer in time: check the host, the port and the firewall/,
    );
  });

  it("keeps other failures as they were", () => {
    const error = Object.assign(new Error("listen EADDRINUSE"), {
      code: "EADDRINUSE",
    });

    expect(
      describeStartFailure(error, { database: postgres("postgres://h/db") }),
    ).toBe("listen EADDRINUSE (the port is taken: set PORT to a free one)");
  });
});

/** What listening on this address throws, from Node itself. */
async function listenFailure(host: string): Promise<unknown> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", resolve);
    server.listen(0, host, () => {
      server.close();
      reject(new Error(`${host} unexpectedly accepted a listener`));
    });
  });
}

describe("describeStartFailure on the listen address", () => {
  it.each(["999.1.1.1", "10.255.255.1"])(
    "names HOST when %s is not an address of this machine",
    async (host) => {
      const error = await listenFailure(host);

      const line = describeStartFailure(error, {
        database: postgres("postgres://u@db.example/amo1c"),
        host,
      });

      expect(line).toBe(
        `HOST ${host} is not an address of this machine: set HOST to one of its addresses, 127.0.0.1 (behind a proxy on the same machine) or 0.0.0.0 (all)`,
      );
    },
  );

  it("still blames DATABASE_URL for a database host that does not resolve", () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND"), {
      code: "ENOTFOUND",
      hostname: "db.invalid",
    });

    const line = describeStartFailure(notFound, {
      database: postgres("postgres://u@db.invalid/amo1c"),
      host: "0.0.0.0",
    });

    expect(line).toMatch(/^PostgreSQL at db\.invalid:5432 \(DATABASE_URL\)/);
  });
});

describe("describeStartFailure on SQLite", () => {
  it("names DATABASE_URL when the file's folder cannot be made", () => {
    const dir = mkdtempSync(join(tmpdir(), "amo1c-start-"));
    const notAFolder = join(dir, "plain-file");
    writeFileSync(notAFolder, "");
    const database = {
      kind: "sqlite" as const,
      file: join(notAFolder, "amo1c.db"),
    };

    let error: unknown;
    try {
      createDatabase(database);
    } catch (e) {
      error = e;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    expect(describeStartFailure(error, { database })).toMatch(
      new RegExp(
        `^SQLite file ${database.file} \\(DATABASE_URL\\) cannot be created or opened \\(.+\\): point DATABASE_URL at a writable path`,
      ),
    );
  });
});
