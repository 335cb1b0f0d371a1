import type { EntitySetMeta } from "./metadata/types.js";
import { EMPTY_REF, isEmptyValue } from "./metadata/wire-values.js";
import type { Entity, OnecProfile } from "./types.js";

type Hook = (entity: Entity) => void;

const CENTS = 100;

/**
 * What the configurations' ПередЗаписью handlers do to the fields amo1c
 * writes (reference onec §1.6, §2.1, §2.4, §2.5).
 */
const HOOKS: Record<OnecProfile, Record<string, Hook[]>> = {
  ut11: {
    Catalog_Контрагенты: [deriveLegalForm, fillHeadCounterparty],
    Document_ЗаказКлиента: [sumOrder],
  },
  bp30: {
    Catalog_Контрагенты: [fillHeadCounterparty, trimInn],
    Catalog_КонтактныеЛица: [buildContactDescription],
    Document_СчетНаОплатуПокупателю: [sumInvoice],
  },
};

export function runBeforeWrite(
  profile: OnecProfile,
  meta: EntitySetMeta,
  entity: Entity,
): void {
  for (const hook of HOOKS[profile][meta.name] ?? []) hook(entity);
}

const num = (value: unknown): number =>
  typeof value === "number" ? value : Number(value ?? 0) || 0;

/** The rows' total, rounded to the kopeck; 0 without rows. */
function rowsTotal(entity: Entity, rowAmount: (row: Entity) => number) {
  const rows = Array.isArray(entity.Товары) ? (entity.Товары as Entity[]) : [];
  const total = rows.reduce((sum, row) => sum + rowAmount(row), 0);
  return Math.round(total * CENTS) / CENTS;
}

/**
 * UT 11 recomputes СуммаДокумента from Товары on every write, so a header
 * value is ignored and an order without rows sums to 0 (reference onec
 * §2.5, [UT11-ZK-OM]).
 */
function sumOrder(entity: Entity): void {
  entity.СуммаДокумента = rowsTotal(
    entity,
    (row) => num(row.СуммаСНДС) || num(row.Сумма),
  );
}

/**
 * The reference does not say whether БП 3.0 recomputes the invoice's sum
 * (§2.6 lists СуммаДокумента as a plain header field): rows set it, and a
 * header-only sum is kept.
 */
function sumInvoice(entity: Entity): void {
  if (!Array.isArray(entity.Товары) || entity.Товары.length === 0) return;
  const vatIncluded = entity.СуммаВключаетНДС === true;
  entity.СуммаДокумента = rowsTotal(
    entity,
    (row) => num(row.Сумма) + (vatIncluded ? 0 : num(row.СуммаНДС)),
  );
}

function deriveLegalForm(entity: Entity): void {
  const kind = entity.ЮрФизЛицо;
  if (kind === "ЮрЛицо" || kind === "ЮрЛицоНеРезидент") {
    entity.ЮридическоеФизическоеЛицо = "ЮридическоеЛицо";
  } else if (kind === "ФизЛицо" || kind === "ИндивидуальныйПредприниматель") {
    entity.ЮридическоеФизическоеЛицо = "ФизическоеЛицо";
  }
}

function fillHeadCounterparty(entity: Entity): void {
  if (entity.ГоловнойКонтрагент_Key === EMPTY_REF) {
    entity.ГоловнойКонтрагент_Key = entity.Ref_Key;
  }
}

function trimInn(entity: Entity): void {
  if (typeof entity.ИНН === "string") entity.ИНН = entity.ИНН.trimEnd();
}

function buildContactDescription(entity: Entity): void {
  if (!isEmptyValue(entity.Description)) return;
  const parts = [entity.Фамилия, entity.Имя, entity.Отчество].filter(
    (part): part is string => typeof part === "string" && part !== "",
  );
  entity.Description = parts.join(" ");
}
