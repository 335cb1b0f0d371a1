import type { AmoAccount } from "./api-types.js";
import type { AmocrmHttp } from "./http-types.js";
import { toAccount } from "./map-amocrm-entities.js";

export const ACCOUNT_PATH = "/api/v4/account";

/** GET /api/v4/account: the cheapest proof a token works (reference §3.2). */
export async function fetchAccount(
  http: AmocrmHttp,
  token: string,
): Promise<AmoAccount> {
  const response = await http.send({
    method: "GET",
    path: ACCOUNT_PATH,
    token,
  });
  return toAccount(response.data);
}
