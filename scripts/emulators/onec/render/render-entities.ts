import { escapeXml } from "../errors.js";
import type { EntitySetMeta, PropertyMeta } from "../metadata/types.js";
import type { Entity } from "../types.js";

export type ResponseFormat =
  { kind: "json"; metadata: boolean } | { kind: "atom" };

export interface CollectionView {
  serviceUrl: string;
  meta: EntitySetMeta;
  items: Entity[];
  count: number | undefined;
}

export interface EntityView {
  serviceUrl: string;
  meta: EntitySetMeta;
  entity: Entity;
}

/** `{"odata.metadata": "…#Set", "value": […]}` (reference onec §1.4). */
export function renderJsonCollection(
  view: CollectionView,
  metadata: boolean,
): string {
  const body: Entity = {};
  if (metadata)
    body["odata.metadata"] = `${view.serviceUrl}/$metadata#${view.meta.name}`;
  if (view.count !== undefined) body["odata.count"] = String(view.count);
  body.value = view.items;
  return JSON.stringify(body);
}

export function renderJsonEntity(view: EntityView, metadata: boolean): string {
  const head: Entity = metadata
    ? {
        "odata.metadata": `${view.serviceUrl}/$metadata#${view.meta.name}/@Element`,
      }
    : {};
  return JSON.stringify({ ...head, ...view.entity });
}

export function entityUrl(
  serviceUrl: string,
  setName: string,
  ref: unknown,
): string {
  return `${serviceUrl}/${encodeURIComponent(setName)}(guid'${String(ref)}')`;
}

const ATOM_NAMESPACES = [
  'xmlns="http://www.w3.org/2005/Atom"',
  'xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"',
  'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"',
].join(" ");

/** A minimal Atom feed: 1C's default representation without $format=json. */
export function renderAtomCollection(view: CollectionView): string {
  const count =
    view.count === undefined ? [] : [`<m:count>${view.count}</m:count>`];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed ${ATOM_NAMESPACES} xml:base="${escapeXml(view.serviceUrl)}/">`,
    `<id>${escapeXml(`${view.serviceUrl}/${view.meta.name}`)}</id>`,
    `<title type="text">${escapeXml(view.meta.name)}</title>`,
    `<updated>${new Date().toISOString()}</updated>`,
    ...count,
    ...view.items.map((entity) => renderAtomEntry({ ...view, entity }, false)),
    "</feed>",
  ].join("\n");
}

export function renderAtomEntry(view: EntityView, standalone = true): string {
  const id = entityUrl(view.serviceUrl, view.meta.name, view.entity.Ref_Key);
  const lines = [
    standalone ? `<entry ${ATOM_NAMESPACES}>` : "<entry>",
    `<id>${escapeXml(id)}</id>`,
    `<category term="StandardODATA.${escapeXml(view.meta.name)}" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme"/>`,
    "<title/>",
    `<updated>${new Date().toISOString()}</updated>`,
    "<author/>",
    '<content type="application/xml"><m:properties>',
    ...renderAtomProperties(view.meta, view.entity),
    "</m:properties></content>",
    "</entry>",
  ];
  const xml = lines.join("\n");
  return standalone ? `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` : xml;
}

function renderAtomProperties(meta: EntitySetMeta, entity: Entity): string[] {
  const lines: string[] = [];
  for (const property of meta.properties) {
    if (property.name in entity)
      lines.push(renderAtomValue(property, entity[property.name]));
  }
  for (const section of meta.tabularSections) {
    const rows = entity[section.name];
    if (!Array.isArray(rows)) continue;
    const type = `Collection(StandardODATA.${meta.name}_${section.name}_RowType)`;
    const elements = (rows as Entity[]).map(
      (row) =>
        `<d:element>${section.columns
          .filter((column) => column.name in row)
          .map((column) => renderAtomValue(column, row[column.name]))
          .join("")}</d:element>`,
    );
    lines.push(
      `<d:${section.name} m:type="${escapeXml(type)}">${elements.join("")}</d:${section.name}>`,
    );
  }
  return lines;
}

function renderAtomValue(property: PropertyMeta, value: unknown): string {
  const type =
    property.type === "Edm.String" ? "" : ` m:type="${property.type}"`;
  return `<d:${property.name}${type}>${escapeXml(String(value))}</d:${property.name}>`;
}

export function renderServiceDocument(
  serviceUrl: string,
  names: string[],
  format: ResponseFormat,
): string {
  if (format.kind === "json") {
    return JSON.stringify({
      "odata.metadata": `${serviceUrl}/$metadata`,
      value: names.map((name) => ({ name, url: name })),
    });
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<service xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom" xml:base="${escapeXml(serviceUrl)}/">`,
    '<workspace><atom:title type="text">Default</atom:title>',
    ...names.map(
      (name) =>
        `<collection href="${escapeXml(name)}"><atom:title type="text">${escapeXml(name)}</atom:title></collection>`,
    ),
    "</workspace></service>",
  ].join("\n");
}
