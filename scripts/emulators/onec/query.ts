import { queryParseError } from "./errors.js";
import { compileFilter } from "./filter/compile-filter.js";
import { compareValues, readValue } from "./filter/values.js";
import type { EntitySetMeta } from "./metadata/types.js";
import type { Entity } from "./types.js";

export interface QueryOptions {
  filter: string | undefined;
  select: string | undefined;
  orderby: string | undefined;
  top: number | undefined;
  skip: number | undefined;
  inlineCount: boolean;
}

export interface QueryResult {
  items: Entity[];
  /** Set for `$inlinecount=allpages`: the number of matching objects. */
  count: number | undefined;
}

/**
 * Splits a raw query string and percent-decodes each part as UTF-8. A `+`
 * stays a `+`: 1C does not read it as a space (reference onec §1.1).
 */
export function parseQueryString(raw: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const key = equals < 0 ? part : part.slice(0, equals);
    const value = equals < 0 ? "" : part.slice(equals + 1);
    params.set(decode(key), decode(value));
  }
  return params;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw queryParseError("неверная кодировка строки запроса");
  }
}

export function readQueryOptions(params: Map<string, string>): QueryOptions {
  const inlineCount = params.get("$inlinecount");
  if (
    inlineCount !== undefined &&
    inlineCount !== "allpages" &&
    inlineCount !== "none"
  ) {
    throw queryParseError(`неверное значение $inlinecount: ${inlineCount}`);
  }
  // The emulated objects carry no navigation properties, so $expand is
  // refused; amo1c reads references by key instead.
  if (params.has("$expand")) throw queryParseError("$expand не поддерживается");

  return {
    filter: params.get("$filter"),
    select: params.get("$select"),
    orderby: params.get("$orderby"),
    top: readCount(params, "$top"),
    skip: readCount(params, "$skip"),
    inlineCount: inlineCount === "allpages",
  };
}

function readCount(
  params: Map<string, string>,
  name: string,
): number | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw queryParseError(`неверное значение ${name}: ${value}`);
  return Number(value);
}

/**
 * Filters, sorts and pages a collection. `$skip` applies before `$top`
 * whatever their order, and `$inlinecount=allpages` makes 1C ignore both
 * (reference onec §1.5).
 */
export function applyQuery(
  entities: Entity[],
  meta: EntitySetMeta,
  options: QueryOptions,
): QueryResult {
  const matches = options.filter
    ? entities.filter(compileFilter(options.filter, meta))
    : [...entities];
  if (options.orderby) matches.sort(compileOrderBy(options.orderby, meta));
  const project = compileSelect(options.select, meta);

  if (options.inlineCount) {
    return { items: matches.map(project), count: matches.length };
  }
  const start = options.skip ?? 0;
  const end = options.top === undefined ? undefined : start + options.top;
  return { items: matches.slice(start, end).map(project), count: undefined };
}

export function countMatches(
  entities: Entity[],
  meta: EntitySetMeta,
  filter: string | undefined,
): number {
  return filter
    ? entities.filter(compileFilter(filter, meta)).length
    : entities.length;
}

type Comparator = (a: Entity, b: Entity) => number;

function compileOrderBy(source: string, meta: EntitySetMeta): Comparator {
  const properties = new Map(meta.properties.map((p) => [p.name, p]));
  const keys = source.split(",").map((part) => {
    const [name = "", direction = "asc", ...rest] = part.trim().split(/ +/);
    const property = properties.get(name);
    // Ordering goes by the set's own properties only (not Контрагент/ИНН):
    // amo1c orders by nothing else.
    if (!property || rest.length > 0 || !["asc", "desc"].includes(direction)) {
      throw queryParseError(`неверное выражение $orderby: ${part.trim()}`);
    }
    return { property, sign: direction === "desc" ? -1 : 1 };
  });

  return (a, b) => {
    for (const { property, sign } of keys) {
      const order = compareValues(
        readValue(property, a),
        readValue(property, b),
      );
      if (order) return order * sign;
    }
    return 0;
  };
}

/**
 * `$select`: `*` = everything, `**` = everything but tabular sections,
 * `Товары/Цена` = one column of a section (reference onec §1.5).
 */
export function compileSelect(
  source: string | undefined,
  meta: EntitySetMeta,
): (entity: Entity) => Entity {
  const items = (source ?? "*").split(",").map((item) => item.trim());
  if (items.includes("*")) return (entity) => structuredClone(entity);

  const headers = new Set<string>();
  const sections = new Map<string, Set<string> | "all">();
  for (const item of items) addSelectItem(item, meta, { headers, sections });

  return (entity) => {
    const projected: Entity = {};
    for (const property of meta.properties) {
      if (headers.has(property.name))
        projected[property.name] = entity[property.name];
    }
    for (const [name, columns] of sections) {
      projected[name] = projectRows(entity[name], columns);
    }
    return projected;
  };
}

interface Selection {
  headers: Set<string>;
  sections: Map<string, Set<string> | "all">;
}

function addSelectItem(
  item: string,
  meta: EntitySetMeta,
  selection: Selection,
): void {
  if (item === "**") {
    for (const property of meta.properties)
      selection.headers.add(property.name);
    return;
  }
  const [name = "", column, ...rest] = item.split("/");
  if (column === undefined && meta.properties.some((p) => p.name === name)) {
    selection.headers.add(name);
    return;
  }
  const section = meta.tabularSections.find((s) => s.name === name);
  const known =
    column === undefined || section?.columns.some((c) => c.name === column);
  // ____Presentation suffixes are not served: amo1c reads the
  // references themselves.
  if (!section || !known || rest.length > 0) {
    throw queryParseError(`неизвестное свойство в $select: ${item}`);
  }
  if (column === undefined) {
    selection.sections.set(name, "all");
    return;
  }
  const columns = selection.sections.get(name);
  if (columns === "all") return;
  selection.sections.set(name, new Set([...(columns ?? []), column]));
}

function projectRows(rows: unknown, columns: Set<string> | "all"): Entity[] {
  if (!Array.isArray(rows)) return [];
  if (columns === "all") return structuredClone(rows as Entity[]);
  return (rows as Entity[]).map((row) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => columns.has(key))),
  );
}
