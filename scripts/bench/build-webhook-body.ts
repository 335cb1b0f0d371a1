import qs from "qs";

export interface HookAccount {
  id: number;
  subdomain: string;
  /** "acme.amocrm.ru" */
  host: string;
}

export interface HookLead {
  id: number;
  name: string;
  price: number;
  statusId: number;
  pipelineId: number;
  userId: number;
  /** Unix seconds. */
  updatedAt: number;
}

/**
 * A deal-update webhook as amoCRM posts it: the legacy form encoding
 * leads[update][i][field] with string values and an account part (reference
 * amocrm §4.2), built the way the amoCRM emulator builds its own.
 */
export function buildLeadWebhookBody(
  account: HookAccount,
  leads: HookLead[],
): string {
  const payload = {
    leads: { update: leads.map((lead) => leadItem(account, lead)) },
    account: {
      subdomain: account.subdomain,
      id: String(account.id),
      _links: { self: `https://${account.host}` },
    },
  };
  return qs.stringify(payload);
}

function leadItem(account: HookAccount, lead: HookLead) {
  const user = String(lead.userId);
  const at = String(lead.updatedAt);
  return {
    id: String(lead.id),
    name: lead.name,
    status_id: String(lead.statusId),
    price: String(lead.price),
    pipeline_id: String(lead.pipelineId),
    responsible_user_id: user,
    date_create: at,
    last_modified: at,
    created_user_id: user,
    modified_user_id: user,
    created_at: at,
    updated_at: at,
    account_id: String(account.id),
  };
}
