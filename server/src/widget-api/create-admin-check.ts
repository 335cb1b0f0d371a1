import type { AmoUser } from "../amocrm/api-types.js";
import { AppError, isAppError, type ErrorCode } from "../errors.js";
import type { Logger } from "../log.js";

/** How long a confirmed admin list is trusted before asking amoCRM again. */
export const ADMIN_CACHE_TTL_MS = 5 * 60_000;

/**
 * amoCRM cannot be asked at all: amo1c is not connected yet, or its token
 * is gone or refused. The admin repairs exactly that on the settings page,
 * so the signed claim has to be enough to open it; any other failure
 * (amoCRM down, rate limited) is temporary and refuses the request.
 */
const NOT_CONNECTED_CODES = new Set<ErrorCode>([
  "amocrm_not_configured",
  "amocrm_token_expired",
  "amocrm_token_refresh_failed",
  "amocrm_code_exchange_failed",
  "amocrm_unauthorized",
]);

export interface AdminCheckOptions {
  listUsers: () => Promise<AmoUser[]>;
  log: Logger;
  ttlMs?: number | undefined;
  now?: () => number;
}

type AdminCheck = (userId: number, claimedAdmin: boolean) => Promise<boolean>;

/**
 * Confirms the token's is_admin claim against amoCRM's users list, cached
 * for `ttlMs`. Before amo1c is connected to amoCRM there is nothing to ask,
 * and the claim amoCRM signed lets the admin set the connection up. When
 * amoCRM is connected but does not answer, the check fails closed (503).
 */
export function createAdminCheck(options: AdminCheckOptions): AdminCheck {
  const ttlMs = options.ttlMs ?? ADMIN_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  let cache: { admins: Set<number>; at: number } | null = null;
  let inFlight: Promise<Set<number> | null> | null = null;

  async function fetchAdmins(): Promise<Set<number> | null> {
    try {
      const users = await options.listUsers();
      const admins = new Set(
        users.filter((u) => u.isAdmin && u.isActive).map((u) => u.id),
      );
      cache = { admins, at: now() };
      return admins;
    } catch (error) {
      if (isAppError(error) && NOT_CONNECTED_CODES.has(error.code)) {
        options.log.warn(
          { code: error.code },
          "amoCRM is not connected; trusting the token's is_admin claim",
        );
        return null;
      }
      throw unconfirmed(error, options.log);
    }
  }

  /** Concurrent settings calls share one users request. */
  function admins(): Promise<Set<number> | null> {
    if (cache && now() - cache.at < ttlMs) return Promise.resolve(cache.admins);
    inFlight ??= fetchAdmins().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return async (userId, claimedAdmin) => {
    if (!claimedAdmin) return false;
    const confirmed = await admins();
    return confirmed === null || confirmed.has(userId);
  };
}

function unconfirmed(cause: unknown, log: Logger): AppError {
  log.warn({ err: cause }, "amoCRM users list unavailable; admin refused");
  return new AppError(
    "amocrm_unavailable",
    "amoCRM could not confirm your administrator rights just now; try again in a minute",
    { status: 503, source: "amocrm", retryable: true, cause },
  );
}
