import { entityTypeNotFound } from "./errors.js";
import type { EntitySetMeta, TabularSectionMeta } from "./metadata/types.js";
import type { BaseState } from "./state.js";

export interface ResolvedSet {
  meta: EntitySetMeta;
  /** Set when the resource is a row set such as `Document_X_Товары`. */
  rowsOf: { parent: EntitySetMeta; section: TabularSectionMeta } | undefined;
}

/** The entity sets of a base that are in its OData composition. */
export function publishedSets(
  base: BaseState,
  published: string[] | undefined,
): EntitySetMeta[] {
  const sets = [...base.sets.values()];
  return published ? sets.filter((set) => published.includes(set.name)) : sets;
}

/**
 * Finds a published entity set or row set by resource name. Anything else
 * answers code 8, which is also what an object outside the composition
 * gets (reference onec §1.3).
 */
export function resolveEntitySet(
  sets: EntitySetMeta[],
  name: string,
): ResolvedSet {
  const direct = sets.find((set) => set.name === name);
  if (direct) return { meta: direct, rowsOf: undefined };

  for (const parent of sets) {
    const section = parent.tabularSections.find(
      (s) => name === `${parent.name}_${s.name}`,
    );
    if (section) {
      return { meta: rowSetMeta(parent, section), rowsOf: { parent, section } };
    }
  }
  throw entityTypeNotFound();
}

function rowSetMeta(
  parent: EntitySetMeta,
  section: TabularSectionMeta,
): EntitySetMeta {
  return {
    ...parent,
    name: `${parent.name}_${section.name}`,
    properties: [{ name: "Ref_Key", type: "Edm.Guid" }, ...section.columns],
    tabularSections: [],
    required: [],
    postingRequired: [],
  };
}
