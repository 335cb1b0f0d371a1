import { and, eq } from "./build-odata-filter.js";
import type { OdataClient } from "./create-odata-client.js";
import type { ListSource, OnecProfile } from "./profiles/types.js";
import { readOnecString } from "./read-onec-value.js";

/** One choice in a settings-page list. */
export interface OnecChoice {
  ref: string;
  name: string;
}

/** Enough for any real list of organizations, warehouses or agreements. */
const CHOICES_LIMIT = 500;

export function listOrganizations(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  return listChoices(client, profile.lists.organizations);
}

/** Agreements with customers (UT 11); configurations without them have none. */
export function listAgreements(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  const source = profile.lists.agreements;
  return source ? listChoices(client, source) : Promise.resolve([]);
}

export function listWarehouses(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  return listChoices(client, profile.lists.warehouses);
}

export function listCurrencies(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  return listChoices(client, profile.lists.currencies);
}

/** The items a deal's sum can be booked to, such as a service. */
export function listItems(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  return listChoices(client, profile.lists.items);
}

/** VAT rates where they are a catalog (UT 11); an enum elsewhere. */
export function listVatRates(
  client: OdataClient,
  profile: OnecProfile,
): Promise<OnecChoice[]> {
  const source = profile.lists.vatRates;
  return source ? listChoices(client, source) : Promise.resolve([]);
}

/**
 * Unmarked choices, folders left out. Filters name only fields the set
 * publishes: whether a catalog has folders differs between releases.
 */
async function listChoices(
  client: OdataClient,
  source: ListSource,
): Promise<OnecChoice[]> {
  const fields = (await client.metadata()).entitySets.get(source.entitySet);
  const wanted = { DeletionMark: false, ...source.filter };
  const conditions = Object.entries(wanted)
    .filter(([field]) => fields?.has(field) ?? true)
    .map(([field, value]) => eq(field, value));

  const rows = await client.list(source.entitySet, {
    filter: and(...conditions),
    select: ["Ref_Key", "Description"],
    top: CHOICES_LIMIT,
  });
  return rows
    .map((row) => ({
      ref: String(row.Ref_Key),
      name: readOnecString(row.Description),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "ru"));
}
