import { isAppError, type AppError } from "../errors.js";
import type {
  AmocrmHttp,
  AmocrmRequest,
  AmocrmResponse,
} from "./http-types.js";
import type { TokenProvider } from "./token-provider.js";

export interface SendAuthorizedOptions {
  http: AmocrmHttp;
  tokens: TokenProvider;
  request: Omit<AmocrmRequest, "token" | "purpose">;
}

/**
 * Sends with the current token; on a 401 renews once and retries once
 * (reference amocrm §1.7, §8.3). A second 401 needs a person.
 */
export async function sendAuthorized(
  options: SendAuthorizedOptions,
): Promise<AmocrmResponse> {
  const { http, tokens, request } = options;
  const token = await tokens.getAccessToken();
  try {
    return await http.send({ ...request, token });
  } catch (error) {
    if (!isUnauthorized(error)) throw error;

    const renewed = await tokens.onUnauthorized(token, error);
    return await http
      .send({ ...request, token: renewed })
      .catch(async (again: unknown) => {
        if (isUnauthorized(again)) await tokens.markRejected(again);
        throw again;
      });
  }
}

function isUnauthorized(error: unknown): error is AppError {
  return isAppError(error) && error.code === "amocrm_unauthorized";
}
