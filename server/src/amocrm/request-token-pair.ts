import { z } from "zod";

import { AppError } from "../errors.js";
import type { AmocrmHttp } from "./http-types.js";
import type { TokenPair } from "./token-store.js";

// Refresh tokens live 3 months (reference amocrm §1.4). Counted as 90 days,
// the shortest three months, so amo1c never trusts a token amoCRM dropped.
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

export const TOKEN_PATH = "/oauth2/access_token";

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
});

export interface OauthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export type TokenGrant =
  | { grant_type: "authorization_code"; code: string }
  | { grant_type: "refresh_token"; refresh_token: string };

export interface RequestTokenPairOptions {
  http: AmocrmHttp;
  client: OauthClient;
  grant: TokenGrant;
  now: () => Date;
}

/**
 * POST /oauth2/access_token with a JSON body (reference amocrm §1.3, §1.4).
 * Expiry times are computed from our clock at receipt, so a skewed amoCRM
 * clock cannot make amo1c use a token past its end.
 */
export async function requestTokenPair(
  options: RequestTokenPairOptions,
): Promise<TokenPair> {
  const { client, grant } = options;
  const response = await options.http.send({
    method: "POST",
    path: TOKEN_PATH,
    purpose: grant.grant_type,
    body: {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uri: client.redirectUri,
      ...grant,
    },
  });

  const answer = tokenAnswerSchema.safeParse(response.data);
  if (!answer.success) throw malformedAnswer(grant);

  const receivedAt = options.now().getTime();
  return {
    accessToken: answer.data.access_token,
    accessExpiresAt: new Date(receivedAt + answer.data.expires_in * 1000),
    refreshToken: answer.data.refresh_token,
    refreshExpiresAt: new Date(receivedAt + REFRESH_TOKEN_LIFETIME_MS),
  };
}

function malformedAnswer(grant: TokenGrant): AppError {
  const code =
    grant.grant_type === "authorization_code"
      ? "amocrm_code_exchange_failed"
      : "amocrm_token_refresh_failed";
  // The body holds tokens, so it stays out of the error.
  return new AppError(
    code,
    "amoCRM answered the token request without access_token, refresh_token and expires_in; press Check again",
    { status: 502, source: "amocrm", retryable: true },
  );
}
