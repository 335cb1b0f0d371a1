import type { AmoUser } from "../amocrm/api-types.js";
import { isAppError } from "../errors.js";
import type { Logger } from "../log.js";

/** How long a confirmed admin list is trusted before asking amoCRM again. */
export const ADMIN_CACHE_TTL_MS = 5 * 60_000;

export interface AdminCheckOptions {
  listUsers: () => Promise<AmoUser[]>;
  log: Logger;
  ttlMs?: number | undefined;
  now?: () => number;
}

/**
 * Confirms the token's is_admin claim against amoCRM's users list. Before
 * amo1c is connected to amoCRM there is nothing to ask, and the signed
 * claim alone lets the admin set the connection up.
 */
export function createAdminCheck(options: AdminCheckOptions) {
  const ttlMs = options.ttlMs ?? ADMIN_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  let cache: { admins: Set<number>; at: number } | null = null;

  async function admins(): Promise<Set<number> | null> {
    if (cache && now() - cache.at < ttlMs) return cache.admins;
    try {
      const users = await options.listUsers();
      const set = new Set(
        users.filter((u) => u.isAdmin && u.isActive).map((u) => u.id),
      );
      cache = { admins: set, at: now() };
      return set;
    } catch (error) {
      if (isAppError(error) && error.code === "amocrm_not_configured")
        return null;
      options.log.warn(
        { err: error },
        "amoCRM users list unavailable; using the token's claim",
      );
      return null;
    }
  }

  return async (userId: number, claimedAdmin: boolean): Promise<boolean> => {
    if (!claimedAdmin) return false;
    const confirmed = await admins();
    return confirmed === null ? true : confirmed.has(userId);
  };
}
