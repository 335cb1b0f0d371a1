import type { TokenPair } from "./token-store.js";
import {
  requestTokenPair,
  type RequestTokenPairOptions,
} from "./request-token-pair.js";

export type RefreshTokensOptions = Omit<RequestTokenPairOptions, "grant"> & {
  refreshToken: string;
};

/**
 * Refresh token → a new pair. The old refresh token dies on use, anywhere
 * (reference amocrm §1.4): the caller must store the new pair at once.
 */
export function refreshTokens(
  options: RefreshTokensOptions,
): Promise<TokenPair> {
  const { refreshToken, ...rest } = options;
  return requestTokenPair({
    ...rest,
    grant: { grant_type: "refresh_token", refresh_token: refreshToken },
  });
}
