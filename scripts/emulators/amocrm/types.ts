/** Seed and state shapes of the amoCRM emulator (field names follow API v4). */

export type AmocrmTld = "amocrm.ru" | "kommo.com";

export interface SeedAccount {
  id: number;
  name: string;
  subdomain: string;
  tld: AmocrmTld;
}

export interface SeedUser {
  id: number;
  name: string;
  email: string;
  is_admin: boolean;
  is_active?: boolean | undefined;
}

export interface SeedPipelineStatus {
  id: number;
  name: string;
  sort: number;
}

export interface SeedPipeline {
  id: number;
  name: string;
  is_main: boolean;
  statuses: SeedPipelineStatus[];
}

export type CustomFieldType =
  | "text"
  | "numeric"
  | "multitext"
  | "select"
  | "multiselect"
  | "date"
  | "url"
  | "textarea"
  | "checkbox"
  | "legal_entity";

export interface CustomFieldEnum {
  id: number;
  value: string;
  sort?: number | undefined;
}

export interface CustomFieldDefinition {
  id: number;
  name: string;
  /** System code, e.g. PHONE or EMAIL; null for account-made fields (INN, KPP). */
  code: string | null;
  type: CustomFieldType;
  sort?: number | undefined;
  enums?: CustomFieldEnum[] | undefined;
}

export interface CustomFieldValueItem {
  value: string | number | boolean;
  enum_id?: number | undefined;
  enum_code?: string | undefined;
}

export interface CustomFieldValue {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: CustomFieldType;
  values: CustomFieldValueItem[];
}

export interface LeadContactRef {
  id: number;
  is_main: boolean;
}

export interface SeedContact {
  id: number;
  name: string;
  first_name?: string | undefined;
  last_name?: string | undefined;
  responsible_user_id?: number | undefined;
  company_id?: number | null | undefined;
  custom_fields_values?: CustomFieldValue[] | null | undefined;
}

export interface SeedCompany {
  id: number;
  name: string;
  responsible_user_id?: number | undefined;
  custom_fields_values?: CustomFieldValue[] | null | undefined;
}

export interface SeedLead {
  id: number;
  name: string;
  price?: number | undefined;
  status_id?: number | undefined;
  pipeline_id?: number | undefined;
  responsible_user_id?: number | undefined;
  contacts?: LeadContactRef[] | undefined;
  company_id?: number | null | undefined;
  custom_fields_values?: CustomFieldValue[] | null | undefined;
}

export interface AmocrmSeed {
  account: SeedAccount;
  users: SeedUser[];
  pipelines: SeedPipeline[];
  custom_fields: {
    leads: CustomFieldDefinition[];
    contacts: CustomFieldDefinition[];
    companies: CustomFieldDefinition[];
  };
  /** Which company text fields hold INN and KPP (amoCRM has no standard code). */
  company_tax_fields?: { inn: number; kpp: number } | undefined;
  /** Unix seconds used as created_at/updated_at of seeded entities. */
  created_at?: number | undefined;
  contacts: SeedContact[];
  companies: SeedCompany[];
  leads: SeedLead[];
}

export interface EntityTimes {
  created_at: number;
  updated_at: number;
  created_by: number;
  updated_by: number;
  is_deleted: boolean;
}

export interface LeadRecord extends EntityTimes {
  id: number;
  name: string;
  price: number;
  status_id: number;
  pipeline_id: number;
  responsible_user_id: number;
  closed_at: number | null;
  custom_fields_values: CustomFieldValue[] | null;
  contacts: LeadContactRef[];
  company_id: number | null;
}

export interface ContactRecord extends EntityTimes {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  responsible_user_id: number;
  company_id: number | null;
  custom_fields_values: CustomFieldValue[] | null;
}

export interface CompanyRecord extends EntityTimes {
  id: number;
  name: string;
  responsible_user_id: number;
  custom_fields_values: CustomFieldValue[] | null;
}

export interface NoteRecord {
  id: number;
  entity_id: number;
  entity_type: "leads" | "contacts" | "companies";
  note_type: string;
  params: Record<string, unknown>;
  created_by: number;
  created_at: number;
  updated_at: number;
}

/** Links that are not lead→contact or lead→company (e.g. catalog elements). */
export interface OtherLinkRecord {
  entity_id: number;
  entity_type: "leads";
  to_entity_id: number;
  to_entity_type: string;
  metadata: Record<string, unknown> | null;
}

export interface LinkView {
  entity_id: number;
  entity_type: string;
  to_entity_id: number;
  to_entity_type: string;
  metadata: Record<string, unknown> | null;
}

export interface WebhookRecord {
  id: number;
  destination: string;
  settings: string[];
  sort: number;
  disabled: boolean;
  created_by: number;
  created_at: number;
  updated_at: number;
  account_id: number;
}

export interface EventRecord {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_before: unknown[];
  value_after: unknown[];
  account_id: number;
}

export interface AmocrmState {
  seed: AmocrmSeed;
  leads: LeadRecord[];
  contacts: ContactRecord[];
  companies: CompanyRecord[];
  notes: NoteRecord[];
  /** Derived view of every link, filled in by the dump. */
  links: LinkView[];
  otherLinks: OtherLinkRecord[];
  webhooks: WebhookRecord[];
  events: EventRecord[];
  nextId: number;
}

export type FaultKind = "html403" | "status429" | "status500" | "network_close";

export interface FaultSpec {
  kind: FaultKind;
  count: number;
  pathPrefix?: string | undefined;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Path with query string, as received. */
  url: string;
  status: number;
  at: number;
}

export interface WebhookDelivery {
  destination: string;
  status: number;
  body: string;
  attempt: number;
  at: number;
}
