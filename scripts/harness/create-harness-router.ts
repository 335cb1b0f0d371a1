import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import express from "express";
import type { Request, Response, Router } from "express";

import { renderHarnessPage } from "./render-harness-page.js";

const require = createRequire(import.meta.url);
const REQUIRE_JS = require.resolve("requirejs/require.js");
const JQUERY_JS = require.resolve("jquery/dist/jquery.min.js");
const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));
const I18N_DIR = fileURLToPath(
  new URL("../../widget/src/i18n/", import.meta.url),
);

export interface HarnessRouterOptions {
  /** The amoCRM emulator; it signs the widget's one-time tokens. */
  amocrmEmulatorUrl: string;
  /** What the widget's "backend URL" setting holds. */
  backendUrl: string;
  /** Where `vite build` wrote script.js and style.css. */
  distDir: string;
  /** Path the page is served under; "/harness" unless told. */
  basePath?: string | undefined;
}

/**
 * A page that hosts the built widget the way amoCRM does: RequireJS loads
 * script.js, jQuery is provided, and the widget object gets amoCRM's methods
 * (reference amocrm §5.3, §5.4) backed by the amoCRM emulator.
 */
export function createHarnessRouter(options: HarnessRouterOptions): Router {
  const base = (options.basePath ?? "/harness").replace(/\/+$/, "");
  // Strict routing: "/harness" redirects to "/harness/", not to itself.
  const router = express.Router({ strict: true });

  router.get(base, (_req, res) => res.redirect(`${base}/`));
  router.get(`${base}/`, (_req, res) => {
    res
      .type("html")
      .send(renderHarnessPage({ base, backendUrl: options.backendUrl }));
  });
  router.get(`${base}/vendor/require.js`, (_req, res) =>
    res.sendFile(REQUIRE_JS),
  );
  router.get(`${base}/vendor/jquery.js`, (_req, res) =>
    res.sendFile(JQUERY_JS),
  );
  router.use(`${base}/widget/i18n`, express.static(I18N_DIR));
  router.use(`${base}/widget`, express.static(options.distDir));
  router.use(`${base}/static`, express.static(PUBLIC_DIR));

  router.get(`${base}/card-options.json`, (_req, res) =>
    relay(res, () => readCardOptions(options.amocrmEmulatorUrl)),
  );
  router.post(`${base}/disposable-token`, express.json(), (req, res) =>
    relay(res, () => issueToken(options.amocrmEmulatorUrl, req)),
  );
  return router;
}

interface EmulatorState {
  seed: {
    account: { subdomain: string; tld?: string };
    users: { id: number; name: string; is_admin?: boolean }[];
  };
  leads: { id: number; name: string }[];
}

/** Users and deals to pick on the page, from the emulator's state. */
async function readCardOptions(emulatorUrl: string) {
  const state = (await callEmulator(
    emulatorUrl,
    "GET",
    "/__admin/state",
  )) as EmulatorState;
  const { account, users } = state.seed;
  return {
    domain: `${account.subdomain}.${account.tld ?? "amocrm.ru"}`,
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      isAdmin: user.is_admin === true,
    })),
    leads: state.leads.map((lead) => ({ id: lead.id, name: lead.name })),
  };
}

/**
 * Asks the emulator to sign a one-time token for the chosen user, as amoCRM
 * does inside `$authorizedAjax`. The page calls this on its own origin so the
 * emulator needs no CORS.
 */
async function issueToken(emulatorUrl: string, req: Request) {
  const { userId, isAdmin } = (req.body ?? {}) as {
    userId?: unknown;
    isAdmin?: unknown;
  };
  return callEmulator(emulatorUrl, "POST", "/__admin/disposable-token", {
    userId: Number(userId),
    isAdmin: isAdmin === true,
  });
}

async function callEmulator(
  emulatorUrl: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(new URL(path, emulatorUrl), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(
      `amoCRM emulator answered ${response.status} to ${method} ${path}`,
    );
  }
  return response.json();
}

async function relay(
  res: Response,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    res.json(await run());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    res
      .status(502)
      .json({ error: { code: "harness_emulator_failed", message } });
  }
}
