/** The amoCRM data amo1c reads, normalised from API v4 (reference amocrm §3). */

export interface AmoAccount {
  id: number;
  name: string;
  subdomain: string;
}

export interface AmoUser {
  id: number;
  name: string;
  isAdmin: boolean;
  isActive: boolean;
}

export interface AmoCustomFieldValue {
  fieldId: number;
  fieldCode: string | null;
  values: { value: string; enumCode: string | null }[];
}

export interface AmoLead {
  id: number;
  name: string;
  price: number;
  pipelineId: number;
  statusId: number;
  updatedAt: number;
  isDeleted: boolean;
  /** Contacts in API order; `isMain` marks the main contact. */
  contacts: { id: number; isMain: boolean }[];
  /** amoCRM links at most one company to a lead. */
  companyId: number | null;
  customFields: AmoCustomFieldValue[];
}

export interface AmoContact {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  phones: string[];
  emails: string[];
  customFields: AmoCustomFieldValue[];
}

export interface AmoCompany {
  id: number;
  name: string;
  phones: string[];
  emails: string[];
  customFields: AmoCustomFieldValue[];
}

export interface AmoLinkEvent {
  id: string;
  type: string;
  entityId: number;
  entityType: string;
  createdAt: number;
}

/** A webhook subscription (reference amocrm §4.1). */
export interface AmoWebhook {
  id: number;
  destination: string;
  /** The events it asks for, such as update_lead. */
  settings: string[];
  /** amoCRM may switch off a failing webhook (reference amocrm §4.4). */
  disabled: boolean;
}

export interface CreateCompanyInput {
  name: string;
  /** field id → text value (INN, KPP fields configured in settings). */
  textFields: Record<number, string>;
}

/**
 * The calls the exchange, the Check and the widget API make to amoCRM.
 * Implementations handle auth, the rate limit, retries and error mapping;
 * every failure is an AppError with source "amocrm".
 */
export interface AmocrmApi {
  getAccount(): Promise<AmoAccount>;
  /** null when amoCRM answers 204 (no such lead, or deleted). */
  getLead(id: number): Promise<AmoLead | null>;
  getContacts(ids: number[]): Promise<AmoContact[]>;
  getCompanies(ids: number[]): Promise<AmoCompany[]>;
  /**
   * Companies whose name or any field value contains the text; the caller
   * confirms the match (amoCRM's `query` is a substring search).
   */
  findCompanies(query: string): Promise<AmoCompany[]>;
  createCompany(input: CreateCompanyInput): Promise<number>;
  linkCompanyToLead(leadId: number, companyId: number): Promise<void>;
  addLeadNote(leadId: number, text: string): Promise<void>;
  listUsers(): Promise<AmoUser[]>;
  /** Ids of leads updated at or after the Unix time (seconds). */
  listLeadIdsUpdatedSince(since: number): Promise<number[]>;
  /** Leads updated at or after the Unix time (seconds), with updatedAt. */
  listLeadsUpdatedSince(since: number): Promise<AmoLead[]>;
  /** contact/company linked/unlinked events since the Unix time (seconds). */
  listLinkEvents(since: number): Promise<AmoLinkEvent[]>;
  /** Every webhook subscription of the account. */
  listWebhooks(): Promise<AmoWebhook[]>;
  /** Subscribes, or replaces the events of an existing destination. */
  subscribeWebhook(destination: string, events: string[]): Promise<void>;
}
