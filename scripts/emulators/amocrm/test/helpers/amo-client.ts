import type { AmocrmEmulator } from "../../start-amocrm-emulator.js";

export interface ApiReply {
  status: number;
  contentType: string;
  requestId: string | null;
  text: string;
  json: unknown;
}

async function readReply(response: Response): Promise<ApiReply> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    requestId: response.headers.get("x-request-id"),
    text,
    json,
  };
}

export interface CallOptions {
  method?: string;
  token?: string | undefined;
  body?: unknown;
}

/** Calls the emulator over real HTTP, as amo1c would. */
export async function call(
  emulator: AmocrmEmulator,
  path: string,
  o: CallOptions = {},
): Promise<ApiReply> {
  const headers: Record<string, string> = {};
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${emulator.url}${path}`, {
    method: o.method ?? "GET",
    headers,
    body: o.body === undefined ? null : JSON.stringify(o.body),
  });
  return readReply(response);
}

export function tokenRequest(
  emulator: AmocrmEmulator,
  fields: Record<string, string>,
): Promise<ApiReply> {
  return call(emulator, "/oauth2/access_token", {
    method: "POST",
    body: {
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      redirect_uri: emulator.redirectUri,
      ...fields,
    },
  });
}

export interface TokenPairReply {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  server_time: number;
}

/** Exchanges a fresh authorization code for a token pair. */
export async function authorize(
  emulator: AmocrmEmulator,
): Promise<TokenPairReply> {
  const reply = await tokenRequest(emulator, {
    grant_type: "authorization_code",
    code: emulator.issueAuthCode(),
  });
  if (reply.status !== 200) throw new Error(`token exchange: ${reply.text}`);
  return reply.json as TokenPairReply;
}
