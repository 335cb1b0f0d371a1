import type {
  EdmType,
  EntitySetMeta,
  PropertyMeta,
  TabularSectionMeta,
} from "./types.js";

/** Shorthand for a property list: `[name, type]` or a full PropertyMeta. */
export type PropertySpec = [string, EdmType] | PropertyMeta;

export interface CatalogOptions {
  name: string;
  properties?: PropertySpec[] | undefined;
  tabularSections?: TabularSectionMeta[] | undefined;
  required?: string[] | undefined;
  codeLength?: number | undefined;
  hierarchical?: boolean | undefined;
  subordinate?: boolean | undefined;
}

export interface DocumentOptions {
  name: string;
  properties?: PropertySpec[] | undefined;
  tabularSections?: TabularSectionMeta[] | undefined;
  required?: string[] | undefined;
  postingRequired?: string[] | undefined;
  numberPrefix: string;
}

const DEFAULT_CODE_LENGTH = 9;

export function toProperty(spec: PropertySpec): PropertyMeta {
  return Array.isArray(spec) ? { name: spec[0], type: spec[1] } : spec;
}

export function enumProperty(
  name: string,
  values: readonly string[],
): PropertyMeta {
  return { name, type: "Edm.String", enumValues: values };
}

/** A composite attribute travels as a value plus `<name>_Type` (reference onec §1.4). */
export function compositeProperty(name: string): PropertyMeta[] {
  return [
    { name, type: "Edm.String", composite: true },
    { name: `${name}_Type`, type: "Edm.String" },
  ];
}

export function defineTabularSection(
  name: string,
  columns: PropertySpec[],
): TabularSectionMeta {
  return {
    name,
    columns: [
      { name: "LineNumber", type: "Edm.Int64" },
      ...columns.map(toProperty),
    ],
  };
}

/** Standard catalog attributes come first, as in 1C's own $metadata. */
export function defineCatalog(options: CatalogOptions): EntitySetMeta {
  const codeLength = options.codeLength ?? DEFAULT_CODE_LENGTH;
  const standard: PropertyMeta[] = [
    { name: "Ref_Key", type: "Edm.Guid" },
    { name: "DataVersion", type: "Edm.String", readOnly: true },
    { name: "DeletionMark", type: "Edm.Boolean" },
  ];
  if (options.hierarchical) {
    standard.push({ name: "Parent_Key", type: "Edm.Guid" });
    standard.push({ name: "IsFolder", type: "Edm.Boolean" });
  }
  if (options.subordinate)
    standard.push({ name: "Owner_Key", type: "Edm.Guid" });
  if (codeLength > 0) standard.push({ name: "Code", type: "Edm.String" });
  standard.push(
    { name: "Description", type: "Edm.String" },
    { name: "Predefined", type: "Edm.Boolean", readOnly: true },
    { name: "PredefinedDataName", type: "Edm.String", readOnly: true },
  );

  return {
    name: `Catalog_${options.name}`,
    kind: "Catalog",
    properties: [...standard, ...(options.properties ?? []).map(toProperty)],
    tabularSections: options.tabularSections ?? [],
    required: options.required ?? ["Description"],
    postingRequired: [],
    codeLength,
    numberPrefix: "",
  };
}

export function defineDocument(options: DocumentOptions): EntitySetMeta {
  const standard: PropertyMeta[] = [
    { name: "Ref_Key", type: "Edm.Guid" },
    { name: "DataVersion", type: "Edm.String", readOnly: true },
    { name: "DeletionMark", type: "Edm.Boolean" },
    { name: "Number", type: "Edm.String" },
    { name: "Date", type: "Edm.DateTime" },
    { name: "Posted", type: "Edm.Boolean", readOnly: true },
  ];

  return {
    name: `Document_${options.name}`,
    kind: "Document",
    properties: [...standard, ...(options.properties ?? []).map(toProperty)],
    tabularSections: options.tabularSections ?? [],
    required: options.required ?? [],
    postingRequired: options.postingRequired ?? [],
    codeLength: 0,
    numberPrefix: options.numberPrefix,
  };
}
