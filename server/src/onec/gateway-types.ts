import type { OnecProfileName } from "../../../shared/settings.js";

/** The 1C objects amo1c reads and writes, in profile-neutral terms. */

export type CounterpartyKind = "legal" | "sole_proprietor" | "person";

export interface CounterpartyRecord {
  ref: string;
  name: string;
  inn: string | null;
  kpp: string | null;
  kind: CounterpartyKind;
  /** UT 11 / ERP / KA 2: the partner the counterparty belongs to; null elsewhere. */
  partnerRef: string | null;
}

export interface ContactPersonRecord {
  ref: string;
  name: string;
  /**
   * The object that owns it: the partner (UT 11) or counterparty (BP 3.0);
   * null for 1C's empty reference.
   */
  ownerRef: string | null;
}

export interface OrderRecord {
  ref: string;
  number: string;
  /**
   * Naive wall-clock date-time of the 1C server, "YYYY-MM-DDTHH:mm:ss";
   * null for 1C's empty date.
   */
  date: string | null;
  sum: number;
  counterpartyRef: string | null;
  contactPersonRef: string | null;
  comment: string;
}

export interface NewCounterparty {
  kind: CounterpartyKind;
  name: string;
  inn?: string | undefined;
  kpp?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  /** Text stored in the object's comment so amo1c can find it again. */
  marker: string;
  /** Idempotency key: a retried create with the same purpose reuses its Ref_Key. */
  purpose: string;
}

export interface NewContactPerson {
  owner: CounterpartyRecord;
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
  purpose: string;
}

export interface OrderFields {
  counterparty: CounterpartyRecord;
  contactPersonRef: string | null;
  sum: number;
  comment: string;
}

export interface NewOrder extends OrderFields {
  marker: string;
  purpose: string;
}

export interface ContactPersonQuery {
  email?: string | undefined;
  phone?: string | undefined;
  name: string;
}

/**
 * Counterparty, contact person and customer order access for one 1C base,
 * already bound to its configuration profile. Reads skip objects marked for
 * deletion. Every failure is an AppError with source "onec".
 */
export interface OnecGateways {
  profile: OnecProfileName;
  findCounterpartyByRef(ref: string): Promise<CounterpartyRecord | null>;
  findCounterpartyByInn(
    inn: string,
    kpp?: string,
  ): Promise<CounterpartyRecord | null>;
  findCounterpartyByPhone(phone: string): Promise<CounterpartyRecord | null>;
  findCounterpartyByEmail(email: string): Promise<CounterpartyRecord | null>;
  findCounterpartyByMarker(marker: string): Promise<CounterpartyRecord | null>;
  createCounterparty(input: NewCounterparty): Promise<CounterpartyRecord>;

  findContactPersonByRef(ref: string): Promise<ContactPersonRecord | null>;
  /** Within the owner: by e-mail, then phone digits, then name. */
  findContactPerson(
    owner: CounterpartyRecord,
    query: ContactPersonQuery,
  ): Promise<ContactPersonRecord | null>;
  createContactPerson(input: NewContactPerson): Promise<ContactPersonRecord>;

  findOrderByRef(ref: string): Promise<OrderRecord | null>;
  findOrderByMarker(marker: string): Promise<OrderRecord | null>;
  /** Created unposted, with the organization and defaults from settings. */
  createOrder(input: NewOrder): Promise<OrderRecord>;
  /** Sends only the given fields. */
  updateOrder(ref: string, changes: Partial<OrderFields>): Promise<OrderRecord>;
}
