import {
  setLeadCompany,
  setLeadContacts,
  touch,
} from "../change-lead-links.js";
import type { EmulatorContext } from "../context.js";
import type { HookPart } from "../send-webhook.js";
import {
  leadHookPart,
  leadStatusHookPart,
  sendWebhook,
} from "../send-webhook.js";
import { allocateId, findCompany, findContact, findLead } from "../state.js";
import type { LeadContactRef, LeadRecord } from "../types.js";
import { AdminInputError, adminUserId } from "./admin-common.js";

export interface LeadPatch {
  name?: string | undefined;
  price?: number | undefined;
  /** Moves the lead to another stage of its pipeline (142 won, 143 lost). */
  statusId?: number | undefined;
  contacts?: LeadContactRef[] | undefined;
  companyId?: number | null | undefined;
  deleted?: boolean | undefined;
}

// Won and lost are system stages 142 and 143 (reference §3.3).
const CLOSED_STATUS_IDS = [142, 143];

function leadOrThrow(ctx: EmulatorContext, id: number): LeadRecord {
  const lead = findLead(ctx.state, id);
  if (!lead) throw new AdminInputError(`lead ${id} not found`);
  return lead;
}

interface PreviousStage {
  status_id: number;
  pipeline_id: number;
}

function changeStatus(
  ctx: EmulatorContext,
  lead: LeadRecord,
  statusId: number | undefined,
): PreviousStage | null {
  if (statusId === undefined || statusId === lead.status_id) return null;

  const previous = { status_id: lead.status_id, pipeline_id: lead.pipeline_id };
  lead.status_id = statusId;
  lead.closed_at = CLOSED_STATUS_IDS.includes(statusId) ? ctx.nowSec() : null;
  return previous;
}

function changeFields(lead: LeadRecord, patch: LeadPatch): boolean {
  let changed = false;
  if (patch.name !== undefined && patch.name !== lead.name) {
    lead.name = patch.name;
    changed = true;
  }
  if (patch.price !== undefined && patch.price !== lead.price) {
    lead.price = patch.price;
    changed = true;
  }
  return changed;
}

// Checked before anything changes, so a bad patch leaves the lead as it was.
function checkLinkTargets(ctx: EmulatorContext, patch: LeadPatch): void {
  if (patch.contacts !== undefined) {
    if (!Array.isArray(patch.contacts)) {
      throw new Error("contacts must be an array of {id, is_main}");
    }
    for (const c of patch.contacts) {
      if (findContact(ctx.state, Number(c?.id)) === null) {
        throw new AdminInputError(`contact ${String(c?.id)} not found`);
      }
    }
  }
  const companyId = patch.companyId;
  if (companyId !== undefined && companyId !== null) {
    if (findCompany(ctx.state, companyId) === null) {
      throw new AdminInputError(`company ${companyId} not found`);
    }
  }
}

function changeLinks(
  ctx: EmulatorContext,
  lead: LeadRecord,
  patch: LeadPatch,
): boolean {
  const userId = adminUserId(ctx);
  const contacts =
    patch.contacts !== undefined &&
    setLeadContacts(ctx, { lead, contacts: patch.contacts, userId });
  const company =
    patch.companyId !== undefined &&
    setLeadCompany(ctx, { lead, companyId: patch.companyId, userId });
  return contacts || company;
}

/** Changes a lead as a manager would in the UI, then sends the hooks. */
export function updateLead(
  ctx: EmulatorContext,
  id: number,
  patch: LeadPatch,
): void {
  const lead = leadOrThrow(ctx, id);
  if (patch.deleted === true) {
    lead.is_deleted = true;
    touch(lead, ctx.nowSec(), adminUserId(ctx));
    sendWebhook(ctx, [leadHookPart(ctx, "delete", lead)]);
    return;
  }

  checkLinkTargets(ctx, patch);
  const previous = changeStatus(ctx, lead, patch.statusId);
  const fieldsChanged = changeFields(lead, patch);
  const linksChanged = changeLinks(ctx, lead, patch);
  if (previous === null && !fieldsChanged && !linksChanged) return;

  touch(lead, ctx.nowSec(), adminUserId(ctx));
  // A stage change also counts as an update (reference §4.3).
  const parts: HookPart[] = [leadHookPart(ctx, "update", lead)];
  if (previous !== null) parts.push(leadStatusHookPart(ctx, lead, previous));
  sendWebhook(ctx, parts);
}

export interface NewLead {
  name: string;
  price?: number | undefined;
  contacts?: LeadContactRef[] | undefined;
  companyId?: number | undefined;
}

export function createLead(ctx: EmulatorContext, input: NewLead): number {
  checkLinkTargets(ctx, {
    contacts: input.contacts,
    companyId: input.companyId,
  });
  const userId = adminUserId(ctx);
  const now = ctx.nowSec();
  const pipeline =
    ctx.state.seed.pipelines.find((p) => p.is_main) ??
    ctx.state.seed.pipelines[0];
  const lead: LeadRecord = {
    id: allocateId(ctx.state),
    name: input.name,
    price: input.price ?? 0,
    status_id: pipeline?.statuses[0]?.id ?? 0,
    pipeline_id: pipeline?.id ?? 0,
    responsible_user_id: userId,
    closed_at: null,
    custom_fields_values: null,
    contacts: [],
    company_id: null,
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
  ctx.state.leads.push(lead);
  if (input.contacts)
    setLeadContacts(ctx, { lead, contacts: input.contacts, userId });
  if (input.companyId !== undefined)
    setLeadCompany(ctx, { lead, companyId: input.companyId, userId });

  sendWebhook(ctx, [leadHookPart(ctx, "add", lead)]);
  return lead.id;
}
