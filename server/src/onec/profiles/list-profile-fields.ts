import type { ContactInfoLayout, OnecProfile } from "./types.js";

/**
 * Every field amo1c reads or writes, per entity set. 1C silently drops
 * unknown properties in a write (reference onec §1.6), so these are checked against
 * $metadata before anything is sent.
 */
export function listProfileFields(profile: OnecProfile): Map<string, string[]> {
  const { partner, counterparty, contactPerson, order } = profile;
  const sections = sectionColumns(profile.contactInfo);
  const fields = new Map<string, string[]>();
  const add = (set: string, names: Array<string | null>) => {
    const present = names.filter((n): n is string => n !== null);
    fields.set(set, [...new Set([...(fields.get(set) ?? []), ...present])]);
  };

  add(profile.contactKindSet, ["Ref_Key", "PredefinedDataName"]);
  add(profile.organizationSet, ["Ref_Key", "Description"]);
  if (partner) {
    add(partner.entitySet, [
      "Ref_Key",
      ...Object.values(partner.fields),
      ...Object.keys(partner.constants),
      ...Object.values(partner.kinds).flatMap((kind) => Object.keys(kind)),
    ]);
  }
  add(counterparty.entitySet, [
    "Ref_Key",
    "DeletionMark",
    ...Object.values(counterparty.fields),
    ...Object.keys(counterparty.readFilter),
    ...Object.values(counterparty.kinds).flatMap((kind) => Object.keys(kind)),
    ...sections,
  ]);
  add(contactPerson.entitySet, [
    "Ref_Key",
    "DeletionMark",
    ...Object.values(contactPerson.fields),
    contactPerson.owner.field,
    contactPerson.owner.of === "counterparty"
      ? contactPerson.owner.typeField
      : null,
    ...Object.keys(contactPerson.constants),
    ...sections,
  ]);
  add(order.entitySet, [
    "Ref_Key",
    "DeletionMark",
    ...Object.values(order.fields),
    ...Object.values(order.fromSettings).map((s) => s.field),
    ...Object.keys(order.constants),
  ]);
  return fields;
}

function sectionColumns(layout: ContactInfoLayout): string[] {
  return Object.values(layout.columns).map(
    (column) => `${layout.section}/${column}`,
  );
}
