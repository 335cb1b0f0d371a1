import { escapeXml } from "../errors.js";
import type {
  EntitySetMeta,
  PropertyMeta,
  TabularSectionMeta,
} from "../metadata/types.js";

const NAMESPACE = "StandardODATA";

/**
 * CSDL of the published sets: an EntityType per set, a RowType complex type
 * and a row-set EntityType per tabular section, and the bindable Post/Unpost
 * function imports of documents (reference onec §1.1, §1.9).
 */
export function renderMetadata(sets: EntitySetMeta[]): string {
  const types = sets.flatMap((set) => [
    renderEntityType(set.name, set.properties, set.tabularSections),
    ...set.tabularSections.flatMap((section) =>
      renderSectionTypes(set, section),
    ),
  ]);
  const container = [
    `<EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">`,
    ...sets.flatMap(renderEntitySets),
    ...sets
      .filter((set) => set.kind === "Document")
      .flatMap(renderPostingImports),
    `</EntityContainer>`,
  ];

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">`,
    `<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0">`,
    `<Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="${NAMESPACE}">`,
    ...types,
    ...container,
    `</Schema>`,
    `</edmx:DataServices>`,
    `</edmx:Edmx>`,
  ].join("\n");
}

function renderProperty(property: PropertyMeta): string {
  const nullable =
    property.name === "Ref_Key" || property.name === "LineNumber"
      ? ` Nullable="false"`
      : "";
  return `<Property Name="${escapeXml(property.name)}" Type="${property.type}"${nullable}/>`;
}

function rowTypeName(set: EntitySetMeta, section: TabularSectionMeta): string {
  return `${set.name}_${section.name}_RowType`;
}

function renderEntityType(
  name: string,
  properties: PropertyMeta[],
  sections: TabularSectionMeta[],
  keys: string[] = ["Ref_Key"],
): string {
  const sectionProperties = sections.map(
    (section) =>
      `<Property Name="${escapeXml(section.name)}" Type="Collection(${NAMESPACE}.${escapeXml(`${name}_${section.name}_RowType`)})" Nullable="false"/>`,
  );
  return [
    `<EntityType Name="${escapeXml(name)}">`,
    `<Key>${keys.map((key) => `<PropertyRef Name="${key}"/>`).join("")}</Key>`,
    ...properties.map(renderProperty),
    ...sectionProperties,
    `</EntityType>`,
  ].join("\n");
}

function renderSectionTypes(
  set: EntitySetMeta,
  section: TabularSectionMeta,
): string[] {
  const complex = [
    `<ComplexType Name="${escapeXml(rowTypeName(set, section))}">`,
    ...section.columns.map(renderProperty),
    `</ComplexType>`,
  ].join("\n");
  const rowSet = renderEntityType(
    `${set.name}_${section.name}`,
    [{ name: "Ref_Key", type: "Edm.Guid" }, ...section.columns],
    [],
    ["Ref_Key", "LineNumber"],
  );
  return [complex, rowSet];
}

function renderEntitySets(set: EntitySetMeta): string[] {
  const names = [
    set.name,
    ...set.tabularSections.map((s) => `${set.name}_${s.name}`),
  ];
  return names.map(
    (name) =>
      `<EntitySet Name="${escapeXml(name)}" EntityType="${NAMESPACE}.${escapeXml(name)}"/>`,
  );
}

function renderPostingImports(set: EntitySetMeta): string[] {
  const binding = `<Parameter Name="bindingParameter" Type="${NAMESPACE}.${escapeXml(set.name)}"/>`;
  const attributes = `IsBindable="true" IsSideEffecting="true" m:IsAlwaysBindable="true"`;
  return [
    `<FunctionImport Name="Post" ${attributes}>${binding}<Parameter Name="PostingModeOperational" Type="Edm.Boolean"/></FunctionImport>`,
    `<FunctionImport Name="Unpost" ${attributes}>${binding}</FunctionImport>`,
  ];
}
