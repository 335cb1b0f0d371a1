import { randomUUID } from "node:crypto";

import jwt from "jsonwebtoken";

export const TEST_CLIENT_ID = "amo1c-test-client-id";
export const TEST_CLIENT_SECRET = "amo1c-test-client-secret";

export interface WidgetTokenFields {
  accountId?: number;
  userId?: number;
  isAdmin?: boolean;
  aud?: string;
  clientId?: string;
  secret?: string;
  expiresInSeconds?: number;
  jti?: string;
  issuedSecondsAgo?: number;
  /** nbf this many seconds from now (a clock running ahead of ours). */
  notBeforeInSeconds?: number;
}

/** Signs a one-time token the way amoCRM does for $authorizedAjax. */
export function signWidgetToken(
  audience: string,
  fields: WidgetTokenFields = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    {
      iss: "https://acme.amocrm.ru",
      aud: fields.aud ?? audience,
      jti: fields.jti ?? randomUUID(),
      iat: now - (fields.issuedSecondsAgo ?? 0),
      nbf: now + (fields.notBeforeInSeconds ?? 0),
      exp: now + (fields.expiresInSeconds ?? 1800),
      account_id: fields.accountId ?? 31000001,
      subdomain: "acme",
      client_uuid: fields.clientId ?? TEST_CLIENT_ID,
      user_id: fields.userId ?? 501,
      is_admin: fields.isAdmin ?? true,
    },
    fields.secret ?? TEST_CLIENT_SECRET,
    { algorithm: "HS256" },
  );
}

/** An unsigned token ("alg": "none") carrying otherwise valid claims. */
export function unsignedWidgetToken(audience: string): string {
  const signed = signWidgetToken(audience);
  const payload = signed.split(".")[1];
  const header = Buffer.from(
    JSON.stringify({ alg: "none", typ: "JWT" }),
  ).toString("base64url");
  return `${header}.${payload}.`;
}
