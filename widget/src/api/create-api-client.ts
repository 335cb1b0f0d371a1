import type { CheckResult } from "../../../shared/check-result.js";
import type { DealView, SyncResponse } from "../../../shared/deal-view.js";
import type { SettingsInput, SettingsView } from "../../../shared/settings.js";
import { ApiError } from "./api-error.js";
import { readErrorBody } from "./read-error-body.js";
import type { Transport, TransportRequest } from "./transport.js";

/** A 1C catalogue item offered in the settings selects. */
export interface OnecReference {
  ref: string;
  name: string;
}

/** GET /api/v1/settings/onec/lists */
export interface OnecLists {
  organizations: OnecReference[];
  agreements: OnecReference[];
  warehouses: OnecReference[];
  items: OnecReference[];
  /** Empty where VAT rates are an enum (BP 3.0). */
  vatRates: OnecReference[];
}

export interface ApiClient {
  getDeal(dealId: number): Promise<DealView>;
  syncDeal(dealId: number): Promise<SyncResponse>;
  getSettings(): Promise<SettingsView>;
  saveSettings(input: SettingsInput): Promise<SettingsView>;
  checkSettings(): Promise<CheckResult>;
  getOnecLists(): Promise<OnecLists>;
}

export interface ApiClientOptions {
  /** The "backend URL" widget setting, such as https://amo1c.example.com */
  baseUrl: string;
  transport: Transport;
}

/** Typed calls to the amo1c widget API over an injected transport. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const call = createCaller(options);
  return {
    getDeal: (id) => call("GET", `/api/v1/deals/${id}`),
    syncDeal: (id) => call("POST", `/api/v1/deals/${id}/sync`),
    getSettings: () => call("GET", "/api/v1/settings"),
    saveSettings: (input) => call("PUT", "/api/v1/settings", input),
    checkSettings: () => call("POST", "/api/v1/settings/check"),
    getOnecLists: () => call("GET", "/api/v1/settings/onec/lists"),
  };
}

function createCaller({ baseUrl, transport }: ApiClientOptions) {
  const base = baseUrl.trim().replace(/\/+$/, "");

  return async function call<T>(
    method: TransportRequest["method"],
    path: string,
    body?: unknown,
  ): Promise<T> {
    if (base === "") {
      throw new ApiError("backend_url_missing", "backend URL is not set", {
        status: 0,
        baseUrl: base,
      });
    }

    const request: TransportRequest = { method, url: base + path };
    if (body !== undefined) request.body = body;
    const response = await transport(request);

    if (response.status >= 200 && response.status < 300) {
      return response.body as T;
    }
    throw toApiError(response.status, response.body, base);
  };
}

function toApiError(status: number, body: unknown, baseUrl: string): ApiError {
  if (status === 0) {
    return new ApiError("backend_unreachable", "no answer", {
      status,
      baseUrl,
    });
  }

  const error = readErrorBody(body);
  if (error === null) {
    return new ApiError("bad_response", `HTTP ${status}`, { status, baseUrl });
  }
  return new ApiError(error.code, error.message, {
    status,
    baseUrl,
    fields: error.fields,
  });
}
