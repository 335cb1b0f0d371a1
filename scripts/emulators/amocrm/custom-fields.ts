import type {
  CustomFieldDefinition,
  CustomFieldValue,
  CustomFieldValueItem,
} from "./types.js";

export interface FieldError {
  code: string;
  path: string;
  detail: string;
}

function findDefinition(
  defs: CustomFieldDefinition[],
  item: Record<string, unknown>,
): CustomFieldDefinition | null {
  if (item.field_id !== undefined) {
    return defs.find((d) => d.id === Number(item.field_id)) ?? null;
  }
  if (typeof item.field_code === "string") {
    return defs.find((d) => d.code === item.field_code) ?? null;
  }
  return null;
}

// Multitext values carry enum_code (WORK, MOB…) or enum_id (reference §3.4).
function readValueItem(
  def: CustomFieldDefinition,
  raw: Record<string, unknown>,
): CustomFieldValueItem {
  const item: CustomFieldValueItem = { value: raw.value as string | number };
  if (def.type !== "multitext" && def.type !== "select") return item;

  const byId = def.enums?.find((e) => e.id === Number(raw.enum_id));
  const byCode = def.enums?.find((e) => e.value === raw.enum_code);
  const found = byId ?? byCode ?? def.enums?.[0];
  if (found) {
    item.enum_id = found.id;
    item.enum_code = found.value;
  }
  return item;
}

export interface MergeFieldsResult {
  values: CustomFieldValue[] | null;
  errors: FieldError[];
}

/**
 * Applies a write of custom_fields_values onto the current ones: only sent
 * fields change, `values: null` clears one (reference §3.5).
 */
export function mergeCustomFields(
  defs: CustomFieldDefinition[],
  current: CustomFieldValue[] | null,
  input: unknown,
): MergeFieldsResult {
  if (input === undefined) return { values: current, errors: [] };
  if (input !== null && !Array.isArray(input)) {
    const detail = "This value should be of type array.";
    const error = { code: "InvalidType", path: "custom_fields_values", detail };
    return { values: current, errors: [error] };
  }
  const list = Array.isArray(input) ? (input as unknown[]) : [];
  const byId = new Map((current ?? []).map((v) => [v.field_id, v]));
  const errors: FieldError[] = [];

  list.forEach((entry, index) => {
    const raw = (entry ?? {}) as Record<string, unknown>;
    const def = findDefinition(defs, raw);
    if (!def) {
      errors.push({
        code: "NotSupportedChoice",
        path: `custom_fields_values.${index}.field_id`,
        detail: "The value you selected is not a valid choice.",
      });
      return;
    }
    if (raw.values === null) {
      byId.delete(def.id);
      return;
    }
    if (!Array.isArray(raw.values)) {
      errors.push({
        code: "InvalidType",
        path: `custom_fields_values.${index}.values`,
        detail: "This value should be of type array.",
      });
      return;
    }
    const values = (raw.values as Record<string, unknown>[]).map((v) =>
      readValueItem(def, v ?? {}),
    );
    byId.set(def.id, fieldValue(def, values));
  });

  const values = [...byId.values()];
  return { values: values.length > 0 ? values : null, errors };
}

export function fieldValue(
  def: CustomFieldDefinition,
  values: CustomFieldValueItem[],
): CustomFieldValue {
  return {
    field_id: def.id,
    field_name: def.name,
    field_code: def.code,
    field_type: def.type,
    values,
  };
}

export interface SetFieldOptions {
  defs: CustomFieldDefinition[];
  current: CustomFieldValue[] | null;
  /** Field code (PHONE, EMAIL) or id. */
  field: string | number;
  value: string | undefined;
  enumCode?: string | undefined;
}

/** Sets or clears one field by code or id; used by the admin helpers. */
export function setField(o: SetFieldOptions): CustomFieldValue[] | null {
  if (o.value === undefined) return o.current;
  const def = o.defs.find((d) =>
    typeof o.field === "number" ? d.id === o.field : d.code === o.field,
  );
  if (!def) return o.current;

  const raw =
    o.value === ""
      ? { field_id: def.id, values: null }
      : {
          field_id: def.id,
          values: [{ value: o.value, enum_code: o.enumCode }],
        };
  return mergeCustomFields(o.defs, o.current, [raw]).values;
}
