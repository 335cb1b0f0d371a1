/** Edm types 1C's standard OData interface uses for the objects we emulate. */
export type EdmType =
  | "Edm.String"
  | "Edm.Guid"
  | "Edm.DateTime"
  | "Edm.Boolean"
  | "Edm.Double"
  | "Edm.Int64";

export interface PropertyMeta {
  name: string;
  type: EdmType;
  /** Allowed enumeration value names (1C sends enums as their names). */
  enumValues?: readonly string[] | undefined;
  /** Value half of a composite-type attribute; its sibling is `<name>_Type`. */
  composite?: boolean | undefined;
  /** Standard attributes the client cannot write (Posted, Predefined…). */
  readOnly?: boolean | undefined;
}

export interface TabularSectionMeta {
  name: string;
  /** Row columns, `LineNumber` first. */
  columns: PropertyMeta[];
}

export type EntityKind = "Catalog" | "Document";

export interface EntitySetMeta {
  /** Resource name, e.g. `Catalog_Контрагенты`. */
  name: string;
  kind: EntityKind;
  /** Header properties in wire order, standard attributes first. */
  properties: PropertyMeta[];
  tabularSections: TabularSectionMeta[];
  /** Header properties a write must fill (code 5 otherwise). */
  required: string[];
  /** Header properties posting checks (documents only). */
  postingRequired: string[];
  /** Digits of the autonumbered catalog code; 0 = the catalog has no code. */
  codeLength: number;
  /** Prefix of autonumbered document numbers (11 characters in total). */
  numberPrefix: string;
}

export interface ProfileMeta {
  profile: "ut11" | "bp30";
  entitySets: EntitySetMeta[];
}
