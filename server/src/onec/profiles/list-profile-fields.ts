import type { OnecSettings } from "../../../../shared/settings.js";
import type {
  ContactInfoLayout,
  OnecProfile,
  OrderItemsLayout,
} from "./types.js";

/** The settings that switch on the goods row of an order. */
export type DealRowSettings = Pick<OnecSettings, "dealItemRef" | "vatRateRef">;

/**
 * Every field amo1c reads or writes, per entity set; with an item chosen
 * for the deal's sum, also the goods-row columns. 1C silently drops
 * unknown properties in a write (reference onec §1.6), so these are
 * checked against $metadata before anything is sent.
 */
export function listProfileFields(
  profile: OnecProfile,
  settings?: DealRowSettings,
): Map<string, string[]> {
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
    ...(settings ? listDealRowColumns(order.items, settings) : []),
  ]);
  if (settings?.dealItemRef) {
    add(profile.lists.items.entitySet, ["Ref_Key", "Description"]);
  }
  return fields;
}

/**
 * "Товары" and "Товары/Цена"-like paths of the one goods row that carries
 * the deal's sum; none when no item is chosen.
 */
export function listDealRowColumns(
  items: OrderItemsLayout,
  settings: DealRowSettings,
): string[] {
  if (!settings.dealItemRef) return [];
  const columns = [
    items.item,
    items.itemType?.field ?? null,
    ...items.sumColumns,
    settings.vatRateRef ? items.vatRate : null,
    ...Object.keys(items.constants),
  ].filter((c): c is string => c !== null);
  return [items.section, ...columns.map((c) => `${items.section}/${c}`)];
}

function sectionColumns(layout: ContactInfoLayout): string[] {
  const columns = [...Object.values(layout.columns), layout.localPhone];
  return columns
    .filter((column): column is string => column !== null)
    .map((column) => `${layout.section}/${column}`);
}
