import { randomUUID } from "node:crypto";

import express, { type Express, type Router } from "express";
import { pinoHttp } from "pino-http";

import type { Logger } from "../log.js";
import { createErrorHandler, notFoundHandler } from "./error-handler.js";
import { redactPath } from "./redact-path.js";

export interface CreateAppOptions {
  log: Logger;
  /** Feature routers, mounted in order; each carries its own paths and body parsers. */
  routers: Router[];
}

/** Assembles the Express app: request log with ids, features, 404, errors. */
export function createApp(options: CreateAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // Behind nginx/Caddy: trust the first proxy for the client address.
  app.set("trust proxy", 1);

  app.use(
    pinoHttp({
      logger: options.log.child({ name: "http" }),
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id =
          typeof given === "string" && given.length <= 128
            ? given
            : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500
          ? "error"
          : res.statusCode >= 400
            ? "warn"
            : "debug",
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactPath(req.url),
        }),
      },
    }),
  );

  for (const router of options.routers) app.use(router);

  app.use(notFoundHandler);
  app.use(createErrorHandler(options.log));
  return app;
}
