import { businessError, requiredPropertyMissing } from "./errors.js";
import type { EntitySetMeta } from "./metadata/types.js";
import { isEmptyValue } from "./metadata/wire-values.js";
import type { Entity } from "./types.js";

/** Header properties the write itself demands (code 5). */
export function checkRequired(meta: EntitySetMeta, entity: Entity): void {
  const missing = meta.required.find((name) => isEmptyValue(entity[name]));
  if (missing) throw requiredPropertyMissing(missing);
}

export function checkPosting(meta: EntitySetMeta, entity: Entity): void {
  if (meta.kind !== "Document")
    throw businessError("Объект не является документом");
  if (entity.DeletionMark === true) {
    throw businessError(
      "Помеченный на удаление документ не может быть проведен",
    );
  }
  const missing = meta.postingRequired.find((name) =>
    isEmptyValue(entity[name]),
  );
  if (missing) {
    throw businessError(`Поле "${missing.replace(/_Key$/, "")}" не заполнено`);
  }
  const rows = entity.Товары;
  if (
    Array.isArray(rows) &&
    rows.length === 0 &&
    meta.tabularSections.length > 0
  ) {
    throw businessError('Не заполнен список "Товары"');
  }
}
