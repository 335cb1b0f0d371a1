import { z } from "zod";

import { AppError } from "../errors.js";
import { parseSecretKey } from "./parse-secret-key.js";

/** An empty value (NAME= in .env) takes the default, like an absent one. */
function optionalNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), schema);
}

/** The only place in amo1c that reads process.env: everything else gets a Config. */
const ENV_SCHEMA = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe("a TCP port number, 0-65535"),
  HOST: z.string().default("0.0.0.0").describe("the address to listen on"),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .describe(
      "the https:// address amoCRM reaches, such as https://amo1c.example.com",
    ),
  DATABASE_URL: z
    .string()
    .default("")
    .refine(
      (v) =>
        v === "" ||
        (/^postgres(ql)?:\/\//.test(v) && URL.canParse(v)) ||
        /^file:.+/.test(v),
      {
        message:
          "expected empty (SQLite), file:<path> or postgres://user:password@host:5432/db (percent-encode special characters in the password)",
      },
    ),
  AMO1C_SECRET_KEY: z
    .string()
    .transform((v, ctx) => {
      const key = parseSecretKey(v);
      if (key) return key;
      ctx.addIssue({
        code: "custom",
        message:
          "expected 32 random bytes in base64, 44 characters ending in = (openssl rand -base64 32)",
      });
      return z.NEVER;
    })
    // On the pipe, not the string inside it: the missing-variable message
    // reads the description of the schema it finds in the shape.
    .describe("32 random bytes in base64 (openssl rand -base64 32)"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  LOG_PRETTY: z
    .enum(["true", "false", ""])
    .default("")
    .transform((v) => v === "true"),
  AMOCRM_CLIENT_ID: z
    .string()
    .describe("the integration ID from amoCRM's Keys and scopes tab")
    .min(1, "expected the integration ID from amoCRM's Keys and scopes tab"),
  AMOCRM_CLIENT_SECRET: z
    .string()
    .describe("the secret key from amoCRM's Keys and scopes tab")
    .min(1, "expected the secret key from amoCRM's Keys and scopes tab"),
  METRICS_TOKEN: z.string().default(""),
  // Per process: instances share no budget, so with several instances the
  // operator splits amoCRM's 7 per second between them (docs/deploy.md).
  AMOCRM_RATE_LIMIT_PER_SECOND: optionalNumber(
    z.coerce
      .number("expected a number of requests per second, such as 7 or 3.5")
      .positive("expected more than 0 requests per second")
      .max(50, "expected at most 50; amoCRM allows about 7 in total")
      .default(7),
  ),
  QUEUE_JOB_TIMEOUT_SECONDS: optionalNumber(
    z.coerce
      .number("expected a number of seconds, such as 300")
      .int("expected whole seconds")
      .min(2, "expected whole seconds, at least 2")
      .max(86_400, "expected at most 86400 seconds (one day)")
      .default(300),
  ),
  QUEUE_CONCURRENCY: optionalNumber(
    z.coerce
      .number("expected a number of sync runs, such as 16")
      .int("expected a whole number of sync runs")
      .min(1, "expected at least 1 sync run at a time")
      .max(64, "expected at most 64 sync runs at a time")
      .optional(),
  ),
  AMOCRM_BASE_URL: z
    .union([z.url({ protocol: /^https?$/ }), z.literal("")])
    .default("")
    .describe(
      "for the demo and tests: send amoCRM requests here instead of https://<host>",
    ),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  database:
    { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  secretKey: Buffer;
  logLevel: string;
  logPretty: boolean;
  amocrm: {
    clientId: string;
    clientSecret: string;
    /** Overrides https://<account host> (emulator); null in production. */
    baseUrl: string | null;
    /** This process's share of amoCRM's per-integration limit. */
    rateLimitPerSecond?: number | undefined;
  };
  metricsToken: string;
  queue: {
    /** A run older than this is presumed lost (its process died) and retried. */
    jobTimeoutSeconds: number;
    /** Sync runs at once in this process; undefined = the queue's default. */
    concurrency: number | undefined;
  };
}

/** Default SQLite file when DATABASE_URL is empty. */
export const DEFAULT_SQLITE_FILE = "./data/amo1c.db";

/**
 * Validates the environment once at start. A failure names the variable and
 * what it expects, so the process can exit with one readable line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // NAME= in .env means "not set": defaults apply and required ones say so.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ""),
  );
  const parsed = ENV_SCHEMA.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new AppError(
      "config_invalid",
      `${name} ${given[name] === undefined ? "is not set" : "is invalid"}: ${expectation(name, issue?.message)}`,
    );
  }

  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ""),
    database: toDatabaseConfig(e.DATABASE_URL),
    secretKey: e.AMO1C_SECRET_KEY,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    amocrm: {
      clientId: e.AMOCRM_CLIENT_ID,
      clientSecret: e.AMOCRM_CLIENT_SECRET,
      baseUrl:
        e.AMOCRM_BASE_URL === "" ? null : e.AMOCRM_BASE_URL.replace(/\/+$/, ""),
      rateLimitPerSecond: e.AMOCRM_RATE_LIMIT_PER_SECOND,
    },
    metricsToken: e.METRICS_TOKEN,
    queue: {
      jobTimeoutSeconds: e.QUEUE_JOB_TIMEOUT_SECONDS,
      concurrency: e.QUEUE_CONCURRENCY,
    },
  };
}

/** The schema's own words when zod's are generic ("Invalid URL"). */
function expectation(name: string, message = "invalid value"): string {
  if (message.startsWith("expected")) return message;
  const description =
    ENV_SCHEMA.shape[name as keyof typeof ENV_SCHEMA.shape]?.description;
  return description ? `expected ${description}` : message;
}

function toDatabaseConfig(url: string): Config["database"] {
  if (url === "") return { kind: "sqlite", file: DEFAULT_SQLITE_FILE };
  if (url.startsWith("file:")) return { kind: "sqlite", file: url.slice(5) };
  return { kind: "postgres", url };
}
