import type { Composition } from "./control.js";
import { entityTypeNotFound } from "./errors.js";
import type { EntitySetMeta, TabularSectionMeta } from "./metadata/types.js";
import type { BaseState } from "./state.js";
import type { Entity } from "./types.js";

export interface ResolvedSet {
  meta: EntitySetMeta;
  /** Set when the resource is a row set such as `Document_X_Товары`. */
  rowsOf: { parent: EntitySetMeta; section: TabularSectionMeta } | undefined;
}

/**
 * The entity sets of a base that are in its OData composition, without the
 * fields left out of it.
 */
export function publishedSets(
  base: BaseState,
  composition: Composition,
): EntitySetMeta[] {
  const { sets: published, unpublishedFields = [] } = composition;
  const sets = [...base.sets.values()].filter(
    (set) => !published || published.includes(set.name),
  );
  if (unpublishedFields.length === 0) return sets;
  return sets.map((set) => withoutFields(set, unpublishedFields));
}

/** Drops from a write body what the composition leaves out, as 1C would. */
export function dropUnpublished(
  body: Entity,
  setName: string,
  composition: Composition,
): Entity {
  const hidden = hiddenIn(setName, composition.unpublishedFields ?? []);
  if (hidden.size === 0) return body;
  const kept: Entity = {};
  for (const [name, value] of Object.entries(body)) {
    if (hidden.has(name)) continue;
    kept[name] = Array.isArray(value)
      ? value.map((row: Entity) => dropColumns(row, name, hidden))
      : value;
  }
  return kept;
}

function withoutFields(set: EntitySetMeta, fields: string[]): EntitySetMeta {
  const hidden = hiddenIn(set.name, fields);
  if (hidden.size === 0) return set;
  return {
    ...set,
    properties: set.properties.filter((p) => !hidden.has(p.name)),
    tabularSections: set.tabularSections
      .filter((section) => !hidden.has(section.name))
      .map((section) => ({
        ...section,
        columns: section.columns.filter(
          (c) => !hidden.has(`${section.name}/${c.name}`),
        ),
      })),
  };
}

/** "Field" and "Section/Column" names hidden in one set. */
function hiddenIn(setName: string, fields: string[]): Set<string> {
  const prefix = `${setName}.`;
  return new Set(
    fields
      .filter((f) => f.startsWith(prefix))
      .map((f) => f.slice(prefix.length)),
  );
}

function dropColumns(row: Entity, section: string, hidden: Set<string>) {
  if (!row || typeof row !== "object") return row;
  return Object.fromEntries(
    Object.entries(row).filter(([c]) => !hidden.has(`${section}/${c}`)),
  );
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
