import qs from "qs";

import { AppError } from "../errors.js";
import type { AmocrmApi, CreateCompanyInput } from "./api-types.js";
import type { AmocrmHttp, HttpMethod } from "./http-types.js";
import {
  toAccount,
  toCompany,
  toContact,
  toLead,
  toLinkEvent,
  toUser,
  toWebhook,
} from "./map-amocrm-entities.js";
import { sendAuthorized } from "./send-authorized.js";
import type { TokenProvider } from "./token-provider.js";

// List reads take at most 250 items, events at most 100 (reference §3.8, §3.10).
const PAGE_SIZE = 250;
const EVENTS_PAGE_SIZE = 100;

/** A loop guard: 1000 pages of 250 is far beyond any account amo1c serves. */
const MAX_PAGES = 1000;

const LINK_EVENT_TYPES = [
  "contact_linked",
  "contact_unlinked",
  "company_linked",
  "company_unlinked",
];

export interface CreateAmocrmApiOptions {
  tokens: TokenProvider;
  /** The connection's HTTP client; share one per process (one rate limit). */
  http: AmocrmHttp;
}

/** The amoCRM calls of amo1c over API v4, with auth, limits and retries. */
export function createAmocrmApi(options: CreateAmocrmApiOptions): AmocrmApi {
  const { http, tokens } = options;

  const send = async (method: HttpMethod, path: string, body?: unknown) =>
    (await sendAuthorized({ http, tokens, request: { method, path, body } }))
      .data;

  async function readAll(path: string, key: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | null = path;
    for (let page = 0; next !== null && page < MAX_PAGES; page += 1) {
      const data = await send("GET", next);
      // 204 ends a list, even after a `next` link (reference amocrm §3.8).
      if (data === null) break;
      items.push(...embedded(data, key));
      next = nextPath(data);
    }
    return items;
  }

  async function readByIds(entity: string, ids: number[]) {
    const items: unknown[] = [];
    for (const batch of chunk([...new Set(ids)], PAGE_SIZE)) {
      const path = withQuery(`/api/v4/${entity}`, {
        filter: { id: batch },
        limit: PAGE_SIZE,
      });
      items.push(...(await readAll(path, entity)));
    }
    return items;
  }

  return {
    async getAccount() {
      return toAccount(await send("GET", "/api/v4/account"));
    },

    async getLead(id) {
      const data = await send(
        "GET",
        withQuery(`/api/v4/leads/${id}`, { with: "contacts" }),
      );
      return data === null ? null : toLead(data);
    },

    async getContacts(ids) {
      return (await readByIds("contacts", ids)).map(toContact);
    },

    async getCompanies(ids) {
      return (await readByIds("companies", ids)).map(toCompany);
    },

    // amoCRM's `query` searches every filled field, custom fields included
    // (reference amocrm §3.3); a search that matches nothing answers 204.
    async findCompanies(query) {
      const path = withQuery("/api/v4/companies", { query, limit: PAGE_SIZE });
      return (await readAll(path, "companies")).map(toCompany);
    },

    async createCompany(input) {
      const data = await send("POST", "/api/v4/companies", [
        companyBody(input),
      ]);
      return createdId(data, "companies");
    },

    async linkCompanyToLead(leadId, companyId) {
      await send("POST", `/api/v4/leads/${leadId}/link`, [
        { to_entity_id: companyId, to_entity_type: "companies" },
      ]);
    },

    async addLeadNote(leadId, text) {
      await send("POST", `/api/v4/leads/${leadId}/notes`, [
        { note_type: "common", params: { text } },
      ]);
    },

    async listUsers() {
      const path = withQuery("/api/v4/users", { limit: PAGE_SIZE });
      return (await readAll(path, "users")).map(toUser);
    },

    async listLeadIdsUpdatedSince(since) {
      return (await readAll(updatedLeadsPath(since), "leads")).map(idOf);
    },

    async listLeadsUpdatedSince(since) {
      return (await readAll(updatedLeadsPath(since), "leads")).map(toLead);
    },

    async listLinkEvents(since) {
      const path = withQuery("/api/v4/events", {
        filter: { type: LINK_EVENT_TYPES, created_at: { from: since } },
        limit: EVENTS_PAGE_SIZE,
      });
      return (await readAll(path, "events")).map(toLinkEvent);
    },

    // No filter[destination]: the destination holds amo1c's webhook
    // secret, and a query string lands in request logs on both sides.
    async listWebhooks() {
      return (await readAll("/api/v4/webhooks", "webhooks")).map(toWebhook);
    },

    async subscribeWebhook(destination, events) {
      await send("POST", "/api/v4/webhooks", { destination, settings: events });
    },
  };
}

function companyBody(input: CreateCompanyInput) {
  const fields = Object.entries(input.textFields).map(([id, value]) => ({
    field_id: Number(id),
    values: [{ value }],
  }));
  return fields.length === 0
    ? { name: input.name }
    : { name: input.name, custom_fields_values: fields };
}

/** amoCRM's bracketed query style: filter[id][]=1&filter[id][]=2. */
function withQuery(path: string, params: Record<string, unknown>): string {
  const query = qs.stringify(params, {
    arrayFormat: "brackets",
    encodeValuesOnly: true,
  });
  return query === "" ? path : `${path}?${query}`;
}

function embedded(data: unknown, key: string): unknown[] {
  const items = (data as { _embedded?: Record<string, unknown> })?._embedded?.[
    key
  ];
  return Array.isArray(items) ? items : [];
}

/**
 * The path and query of `_links.next`. The host is dropped on purpose: the
 * base URL stays the one configured (account host or emulator).
 */
function nextPath(data: unknown): string | null {
  const href = (data as { _links?: { next?: { href?: unknown } } })?._links
    ?.next?.href;
  if (typeof href !== "string" || href === "") return null;
  const url = new URL(href, "http://amocrm.invalid");
  return `${url.pathname}${url.search}`;
}

function createdId(data: unknown, key: string): number {
  const id = (embedded(data, key)[0] as { id?: unknown } | undefined)?.id;
  if (typeof id === "number") return id;
  throw new AppError(
    "amocrm_request_failed",
    `amoCRM accepted the new ${key} entry but sent no id back; check amoCRM for a duplicate before retrying`,
    { status: 502, source: "amocrm" },
  );
}

function updatedLeadsPath(since: number): string {
  return withQuery("/api/v4/leads", {
    filter: { updated_at: { from: since } },
    limit: PAGE_SIZE,
  });
}

function idOf(item: unknown): number {
  const id = (item as { id?: unknown })?.id;
  if (typeof id === "number") return id;
  throw new AppError(
    "amocrm_request_failed",
    "amoCRM sent a list entry without an id",
    {
      status: 502,
      source: "amocrm",
    },
  );
}

function chunk<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    batches.push(items.slice(i, i + size));
  return batches;
}
