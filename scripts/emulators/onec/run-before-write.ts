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
    Document_ЗаказКлиента: [
      sumOrder((row) => num(row.СуммаСНДС) || num(row.Сумма)),
    ],
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

/** СуммаДокумента follows the rows; a sum sent without rows is kept. */
function sumOrder(rowAmount: (row: Entity) => number): Hook {
  return (entity) => {
    const rows = entity.Товары;
    if (!Array.isArray(rows) || rows.length === 0) return;
    const total = (rows as Entity[]).reduce(
      (sum, row) => sum + rowAmount(row),
      0,
    );
    entity.СуммаДокумента = Math.round(total * CENTS) / CENTS;
  };
}

function sumInvoice(entity: Entity): void {
  const vatIncluded = entity.СуммаВключаетНДС === true;
  sumOrder((row) => num(row.Сумма) + (vatIncluded ? 0 : num(row.СуммаНДС)))(
    entity,
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
