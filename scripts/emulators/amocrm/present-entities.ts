import type { Request } from "express";

import type { PageParams } from "./read-query.js";
import { readWith } from "./read-query.js";
import type {
  AmocrmState,
  CompanyRecord,
  ContactRecord,
  LeadRecord,
} from "./types.js";

/** Origin the client called; amoCRM links point back at the account host. */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;
}

function selfLink(base: string, path: string) {
  return { self: { href: `${base}${path}` } };
}

export interface PresentOptions {
  base: string;
  accountId: number;
  with: Set<string>;
  state: AmocrmState;
}

export function presentLead(lead: LeadRecord, o: PresentOptions) {
  const embedded: Record<string, unknown> = {
    tags: [],
    // Companies are embedded even without `with` (reference §3.3).
    companies:
      lead.company_id === null
        ? []
        : [
            {
              id: lead.company_id,
              _links: selfLink(o.base, `/api/v4/companies/${lead.company_id}`),
            },
          ],
  };
  if (o.with.has("contacts")) {
    embedded.contacts = lead.contacts.map((c) => ({
      id: c.id,
      is_main: c.is_main,
      _links: selfLink(o.base, `/api/v4/contacts/${c.id}`),
    }));
  }

  return {
    id: lead.id,
    name: lead.name,
    price: lead.price,
    responsible_user_id: lead.responsible_user_id,
    group_id: 0,
    status_id: lead.status_id,
    pipeline_id: lead.pipeline_id,
    loss_reason_id: null,
    created_by: lead.created_by,
    updated_by: lead.updated_by,
    created_at: lead.created_at,
    updated_at: lead.updated_at,
    closed_at: lead.closed_at,
    closest_task_at: null,
    is_deleted: lead.is_deleted,
    custom_fields_values: lead.custom_fields_values,
    score: null,
    account_id: o.accountId,
    labor_cost: null,
    _links: selfLink(o.base, `/api/v4/leads/${lead.id}`),
    _embedded: embedded,
  };
}

function leadsOf(state: AmocrmState, test: (l: LeadRecord) => boolean) {
  return state.leads.filter((l) => !l.is_deleted && test(l));
}

export function presentContact(contact: ContactRecord, o: PresentOptions) {
  const embedded: Record<string, unknown> = {
    tags: [],
    companies:
      contact.company_id === null
        ? []
        : [
            {
              id: contact.company_id,
              _links: selfLink(
                o.base,
                `/api/v4/companies/${contact.company_id}`,
              ),
            },
          ],
  };
  if (o.with.has("leads")) {
    embedded.leads = leadsOf(o.state, (l) =>
      l.contacts.some((c) => c.id === contact.id),
    ).map((l) => ({
      id: l.id,
      _links: selfLink(o.base, `/api/v4/leads/${l.id}`),
    }));
  }

  return {
    id: contact.id,
    name: contact.name,
    first_name: contact.first_name,
    last_name: contact.last_name,
    responsible_user_id: contact.responsible_user_id,
    group_id: 0,
    created_by: contact.created_by,
    updated_by: contact.updated_by,
    created_at: contact.created_at,
    updated_at: contact.updated_at,
    closest_task_at: null,
    is_deleted: contact.is_deleted,
    is_unsorted: false,
    custom_fields_values: contact.custom_fields_values,
    account_id: o.accountId,
    _links: selfLink(o.base, `/api/v4/contacts/${contact.id}`),
    _embedded: embedded,
  };
}

export function presentCompany(company: CompanyRecord, o: PresentOptions) {
  const embedded: Record<string, unknown> = { tags: [] };
  if (o.with.has("leads")) {
    embedded.leads = leadsOf(o.state, (l) => l.company_id === company.id).map(
      (l) => ({ id: l.id, _links: selfLink(o.base, `/api/v4/leads/${l.id}`) }),
    );
  }
  if (o.with.has("contacts")) {
    embedded.contacts = o.state.contacts
      .filter((c) => !c.is_deleted && c.company_id === company.id)
      .map((c) => ({
        id: c.id,
        _links: selfLink(o.base, `/api/v4/contacts/${c.id}`),
      }));
  }

  return {
    id: company.id,
    name: company.name,
    responsible_user_id: company.responsible_user_id,
    group_id: 0,
    created_by: company.created_by,
    updated_by: company.updated_by,
    created_at: company.created_at,
    updated_at: company.updated_at,
    closest_task_at: null,
    is_deleted: company.is_deleted,
    custom_fields_values: company.custom_fields_values,
    account_id: o.accountId,
    _links: selfLink(o.base, `/api/v4/companies/${company.id}`),
    _embedded: embedded,
  };
}

export interface PageBodyOptions<T> {
  req: Request;
  items: T[];
  page: PageParams;
  key: string;
}

/**
 * One page of a list in HAL shape, or null when the page is empty: amoCRM
 * answers 204 past the end or when nothing matches (reference §3.8).
 */
export function pageBody<T>(o: PageBodyOptions<T>) {
  const start = (o.page.page - 1) * o.page.limit;
  const slice = o.items.slice(start, start + o.page.limit);
  if (slice.length === 0) return null;

  const url = new URL(`${baseUrl(o.req)}${o.req.originalUrl}`);
  const linkTo = (page: number) => {
    url.searchParams.set("page", String(page));
    url.searchParams.set("limit", String(o.page.limit));
    return { href: url.toString() };
  };
  const links: Record<string, { href: string }> = { self: linkTo(o.page.page) };
  if (start + o.page.limit < o.items.length) {
    links.next = linkTo(o.page.page + 1);
  }
  if (o.page.page > 1) links.prev = linkTo(o.page.page - 1);

  return {
    _page: o.page.page,
    _links: links,
    _embedded: { [o.key]: slice },
  };
}

/** Present options for one request. */
export function presentOptionsFor(
  req: Request,
  ctx: { state: AmocrmState; accountId: number },
): PresentOptions {
  return {
    base: baseUrl(req),
    accountId: ctx.accountId,
    with: readWith(req),
    state: ctx.state,
  };
}
