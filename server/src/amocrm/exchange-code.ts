import type { TokenPair } from "./token-store.js";
import {
  requestTokenPair,
  type RequestTokenPairOptions,
} from "./request-token-pair.js";

export type ExchangeCodeOptions = Omit<RequestTokenPairOptions, "grant"> & {
  code: string;
};

/** Authorization code → access and refresh tokens; the code works once. */
export function exchangeCode(options: ExchangeCodeOptions): Promise<TokenPair> {
  const { code, ...rest } = options;
  return requestTokenPair({
    ...rest,
    grant: { grant_type: "authorization_code", code },
  });
}
