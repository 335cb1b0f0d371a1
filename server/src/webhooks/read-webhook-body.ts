import qs from "qs";

import { AppError } from "../errors.js";

/** What amo1c takes from a webhook: who sent it and which deals it touches. */
export interface WebhookSummary {
  accountId: number;
  /** account[subdomain] as sent: "acme" (or a whole host in some copies). */
  subdomain: string | null;
  dealIds: number[];
  /** "leads.update" → how many entities of that kind and action came. */
  events: Record<string, number>;
}

type Node = unknown;

// amoCRM's custom fields nest 7 brackets deep (leads[update][0]
// [custom_fields][0][values][0][value], reference amocrm §4.2).
const QS_DEPTH = 10;
// A fuzzed body can invent any number of entity/action pairs; the log line
// names this many at most.
const MAX_EVENT_KINDS = 30;
const MAX_EVENT_KEY_LENGTH = 40;
const ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/**
 * Reads a legacy form-encoded webhook (entity[action][index][field]) and
 * lists every deal it touches: leads by their id, contacts and companies by
 * the leads linked to them. Only ids are taken; amo1c re-reads the deal
 * from the API, since a webhook omits cleared fields.
 */
export function readWebhookBody(body: string): WebhookSummary {
  const form = parseForm(body);
  const account = asRecord(form["account"]);
  const accountId = toId(account?.["id"]);
  if (accountId === null) {
    throw new AppError(
      "webhook_body_invalid",
      body.trim() === ""
        ? "The webhook body is empty; amoCRM sends a form with account[id]"
        : "The webhook body has no valid account[id]; it is not an amoCRM webhook",
      { status: 400 },
    );
  }

  const dealIds = new Set<number>();
  // Keys come from the sender; a prototype-less object takes any of them.
  const events = Object.create(null) as Record<string, number>;
  for (const [entity, actions] of entriesOf(form)) {
    if (entity === "account") continue;
    for (const [action, items] of entriesOf(actions)) {
      for (const [, item] of entriesOf(items)) {
        countEvent(events, `${entity}.${action}`);
        for (const id of dealIdsOf(entity, action, item)) dealIds.add(id);
      }
    }
  }

  const subdomain = account?.["subdomain"];
  return {
    accountId,
    subdomain: typeof subdomain === "string" ? subdomain : null,
    dealIds: [...dealIds],
    events,
  };
}

function parseForm(body: string): Record<string, Node> {
  return qs.parse(body, {
    depth: QS_DEPTH,
    // Indices and linked-lead ids stay object keys whatever their number:
    // with arrays, qs would cap indices (arrayLimit) and compact the keys.
    parseArrays: false,
    arrayLimit: body.length,
    // A parameter takes at least one character, so none is ever dropped.
    parameterLimit: body.length + 1,
    plainObjects: true,
    allowPrototypes: false,
  });
}

function dealIdsOf(entity: string, action: string, item: Node): number[] {
  const record = asRecord(item);
  if (!record) return [];

  // A note hook's own [id] is the note's; notes never reach 1C anyway.
  if (entity === "leads") return action === "note" ? [] : idsIn(record["id"]);

  // Companies also arrive under contacts[...] with [type]=company
  // (reference amocrm §4.2); both list the leads they are linked to.
  if (entity === "contacts" || entity === "companies") {
    return linkedLeadIds(record["linked_leads_id"]);
  }
  return [];
}

/**
 * linked_leads_id[<LEAD_ID>][ID]=<LEAD_ID> (reference amocrm §4.2): the key
 * and the upper-case ID both hold the lead id. The ID is read first; the
 * key counts when a copy of the format carries no ID.
 */
function linkedLeadIds(node: Node): number[] {
  const ids: number[] = [];
  for (const [key, value] of entriesOf(node)) {
    const inner = asRecord(value);
    const fromValue = inner ? idsIn(inner["ID"] ?? inner["id"]) : idsIn(value);
    const fromKey = toId(key);
    if (fromValue.length > 0) ids.push(...fromValue);
    else if (fromKey !== null) ids.push(fromKey);
  }
  return ids;
}

/** A repeated key makes qs return an array of values. */
function idsIn(value: Node): number[] {
  const values = Array.isArray(value) ? value : [value];
  return values.map(toId).filter((id): id is number => id !== null);
}

function toId(value: Node): number | null {
  if (typeof value !== "string" || !ID_PATTERN.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

function entriesOf(node: Node): [string, Node][] {
  return node !== null && typeof node === "object"
    ? Object.entries(node as Record<string, Node>)
    : [];
}

function asRecord(node: Node): Record<string, Node> | null {
  return node !== null && typeof node === "object" && !Array.isArray(node)
    ? (node as Record<string, Node>)
    : null;
}

function countEvent(events: Record<string, number>, key: string): void {
  const kind = key.slice(0, MAX_EVENT_KEY_LENGTH);
  if (kind in events) events[kind] = (events[kind] ?? 0) + 1;
  else if (Object.keys(events).length < MAX_EVENT_KINDS) events[kind] = 1;
}
