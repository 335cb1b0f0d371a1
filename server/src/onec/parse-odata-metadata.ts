import { XMLParser } from "fast-xml-parser";

import { AppError } from "../errors.js";

/** What amo1c needs from a base's CSDL: which sets exist and their fields. */
export interface OdataMetadata {
  /** Entity set name → its type's properties (name → EDM type). */
  entitySets: Map<string, Map<string, string>>;
  /** Every entity and complex type by short name, for tabular-section rows. */
  types: Map<string, Map<string, string>>;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  // Elements that may occur once or many times always come back as arrays.
  isArray: (name) =>
    [
      "Schema",
      "EntityType",
      "ComplexType",
      "Property",
      "NavigationProperty",
      "EntityContainer",
      "EntitySet",
    ].includes(name),
});

/** Parses 1C's `$metadata` (CSDL XML; 1C has no JSON form, reference onec §1.1). */
export function parseOdataMetadata(xml: string): OdataMetadata {
  const schemas = readSchemas(xml);
  const types = new Map<string, Map<string, string>>();
  for (const schema of schemas) {
    for (const type of [
      ...list(schema.EntityType),
      ...list(schema.ComplexType),
    ]) {
      types.set(String(type.Name), readProperties(type));
    }
  }

  const entitySets = new Map<string, Map<string, string>>();
  for (const schema of schemas) {
    for (const container of list(schema.EntityContainer)) {
      for (const set of list(container.EntitySet)) {
        const typeName = shortName(String(set.EntityType));
        entitySets.set(String(set.Name), types.get(typeName) ?? new Map());
      }
    }
  }
  return { entitySets, types };
}

/**
 * Whether `field` exists on the entity set. "Section/Column" addresses a
 * column of a tabular section, whose rows are a Collection(RowType).
 */
export function hasOdataField(
  metadata: OdataMetadata,
  entitySet: string,
  field: string,
): boolean {
  const [head = "", column] = field.split("/");
  const type = metadata.entitySets.get(entitySet)?.get(head);
  if (type === undefined) return false;
  if (column === undefined) return true;
  const rowType = /^Collection\((.+)\)$/.exec(type)?.[1];
  return !!rowType && !!metadata.types.get(shortName(rowType))?.has(column);
}

function readSchemas(xml: string): XmlNode[] {
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw badMetadata("is not well-formed XML", error);
  }
  const edmx = document.Edmx as XmlNode | undefined;
  const services = edmx?.DataServices as XmlNode | undefined;
  const schemas = list(services?.Schema);
  if (schemas.length === 0) throw badMetadata("has no CSDL schema");
  return schemas;
}

function readProperties(type: XmlNode): Map<string, string> {
  const properties = new Map<string, string>();
  for (const property of list(type.Property)) {
    properties.set(String(property.Name), String(property.Type ?? ""));
  }
  for (const navigation of list(type.NavigationProperty)) {
    properties.set(String(navigation.Name), "Navigation");
  }
  return properties;
}

function list(value: unknown): XmlNode[] {
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function shortName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf(".") + 1);
}

function badMetadata(problem: string, cause?: unknown): AppError {
  return new AppError(
    "onec_bad_response",
    `1C's $metadata ${problem}: check that the address points at /odata/standard.odata`,
    { status: 502, source: "onec", cause },
  );
}
