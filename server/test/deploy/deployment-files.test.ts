import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// Docker is not available where the tests run: these checks read the files.
const read = (path: string) =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

interface ComposeService {
  image?: string;
  build?: unknown;
  env_file?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  init?: boolean;
  restart?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml")) as ComposeFile;
  const { amo1c, postgres } = compose.services;

  it("runs amo1c from the Dockerfile with .env, on PostgreSQL 16", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["amo1c", "postgres"]);
    expect(amo1c?.build).toBe(".");
    expect(amo1c?.env_file).toBe(".env");
    expect(amo1c?.environment?.["DATABASE_URL"]).toMatch(
      /^postgres:\/\/amo1c:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/amo1c$/,
    );
    expect(postgres?.image).toBe("postgres:16");
    expect(postgres?.environment?.["POSTGRES_PASSWORD"]).toMatch(
      /^\$\{POSTGRES_PASSWORD:\?/,
    );
  });

  it("starts amo1c after PostgreSQL is healthy and checks both", () => {
    expect(amo1c?.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
    });
    expect(amo1c?.healthcheck?.test.join(" ")).toContain("/readyz");
    expect(postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
  });

  it("keeps data in named volumes and publishes amo1c on loopback only", () => {
    expect(amo1c?.volumes).toEqual(["amo1c-data:/app/data"]);
    expect(postgres?.volumes).toEqual([
      "postgres-data:/var/lib/postgresql/data",
    ]);
    expect(Object.keys(compose.volumes).sort()).toEqual([
      "amo1c-data",
      "postgres-data",
    ]);
    expect(amo1c?.ports).toEqual(["127.0.0.1:3000:3000"]);
    expect(amo1c?.init).toBe(true);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");

  it("builds on node:20-bookworm-slim in stages and runs as a non-root user", () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^RUN npm run build:widget$/m);
    expect(dockerfile).toMatch(/^RUN npm run build:server$/m);
    expect(dockerfile).toMatch(
      /^CMD \["node", "--enable-source-maps", "dist\/server\/amo1c\.mjs"\]$/m,
    );
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/app\/data"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .+\n\s+CMD .+\/readyz/m);
  });
});

describe("deploy/amo1c.service", () => {
  const unit = read("deploy/amo1c.service");

  it("runs node as the amo1c user with the .env file and restarts on failure", () => {
    expect(unit).toMatch(/^User=amo1c$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/opt\/amo1c\/\.env$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/node --enable-source-maps dist\/server\/amo1c\.mjs$/m,
    );
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/opt\/amo1c\/data$/m);
  });
});
