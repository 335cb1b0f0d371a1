import cors from "cors";
import type { RequestHandler } from "express";

/** amoCRM and Kommo account origins (reference amocrm §5.4). */
const AMOCRM_ORIGIN = /^https:\/\/[a-z0-9-]+\.(amocrm\.(ru|com)|kommo\.com)$/;

export interface WidgetCorsOptions {
  /** The bound account host, such as "acme.amocrm.ru"; null before setup. */
  accountHost: () => Promise<string | null>;
  /** Further origins allowed (the demo harness). */
  extraOrigins?: string[] | undefined;
}

/**
 * Only the account's own origin may call the widget API from a browser,
 * with the X-Auth-Token header. Before the host is configured any amoCRM
 * origin may, so the admin can open the settings page the first time.
 */
export function createWidgetCors(options: WidgetCorsOptions): RequestHandler {
  const extra = new Set(options.extraOrigins ?? []);

  return cors({
    origin: (origin, callback) => {
      if (!origin || extra.has(origin)) return callback(null, true);
      options.accountHost().then(
        (host) =>
          callback(
            null,
            host ? origin === `https://${host}` : AMOCRM_ORIGIN.test(origin),
          ),
        (error: unknown) => callback(error as Error),
      );
    },
    methods: ["GET", "POST", "PUT"],
    allowedHeaders: ["X-Auth-Token", "Content-Type"],
    maxAge: 600,
  });
}
