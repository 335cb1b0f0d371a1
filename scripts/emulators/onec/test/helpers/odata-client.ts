import type { OnecEmulator } from "../../start-onec-emulator.js";

export interface CallOptions {
  method?: string | undefined;
  /** Query parameters; each value is percent-encoded with %20 for spaces. */
  query?: Record<string, string> | undefined;
  body?: unknown;
  user?: string | undefined;
  password?: string | undefined;
  accept?: string | undefined;
  /** Skip `$format=json` to get 1C's default representation. */
  raw?: boolean | undefined;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** Builds `?a=b&…` the way a careful 1C client must: encodeURIComponent, %20. */
export function encodeQuery(query: Record<string, string>): string {
  const parts = Object.entries(query).map(
    ([key, value]) => `${key}=${encodeURIComponent(value)}`,
  );
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/** One request to `<odataUrl(base)>/<resource>`; the resource is encoded per segment. */
export async function callOdata(
  emulator: OnecEmulator,
  base: string,
  resource: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const query = options.raw
    ? (options.query ?? {})
    : { $format: "json", ...options.query };
  const url = `${emulator.odataUrl(base)}/${encodeResource(resource)}${encodeQuery(query)}`;
  return callUrl(url, options);
}

export async function callUrl(
  url: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {
    Authorization: basicAuth(
      options.user ?? "Администратор",
      options.password ?? "secret",
    ),
  };
  if (options.accept) headers.Accept = options.accept;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";

  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: tryJson(text),
  };
}

function encodeResource(resource: string): string {
  return resource
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/%27/g, "'")
        .replace(/%28/g, "(")
        .replace(/%29/g, ")"),
    )
    .join("/");
}

function tryJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function odataError(result: CallResult): {
  code: string;
  message: string;
} {
  const error = result.json["odata.error"] as
    { code: string; message: { value: string } } | undefined;
  return { code: error?.code ?? "", message: error?.message.value ?? "" };
}

export function values(result: CallResult): Record<string, unknown>[] {
  return (result.json.value as Record<string, unknown>[] | undefined) ?? [];
}
