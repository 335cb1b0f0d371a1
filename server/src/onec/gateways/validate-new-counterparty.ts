import { AppError } from "../../errors.js";
import type { NewCounterparty } from "../gateway-types.js";

const INN_LENGTH = { legal: 10, sole_proprietor: 12, person: 12 } as const;
const KPP_PATTERN = /^\d{4}[\dA-Z]{2}\d{3}$/;

/**
 * A legal entity has a 10-digit INN, a sole proprietor a 12-digit one; a
 * private person made from a contact may have none. 1C does not check this
 * on an OData write (reference onec §2.1), so amo1c does.
 */
export function validateNewCounterparty(input: NewCounterparty): void {
  const fields: Record<string, string> = {};
  const inn = input.inn?.trim() ?? "";
  const length = INN_LENGTH[input.kind];

  if (!input.name.trim()) fields.name = "the counterparty needs a name";
  if (inn === "" && input.kind !== "person") {
    fields.inn = `a ${kindLabel(input.kind)} needs an INN of ${length} digits`;
  } else if (inn !== "" && !new RegExp(`^\\d{${length}}$`).test(inn)) {
    fields.inn = `the INN of a ${kindLabel(input.kind)} has ${length} digits`;
  }
  const kpp = input.kpp?.trim() ?? "";
  if (input.kind === "legal" && kpp !== "" && !KPP_PATTERN.test(kpp)) {
    fields.kpp = "the KPP has 9 characters, such as 770101001";
  }

  if (Object.keys(fields).length > 0) {
    throw new AppError(
      "validation_failed",
      `Cannot create counterparty "${input.name}": ${Object.values(fields).join("; ")}`,
      { status: 422, fields },
    );
  }
}

function kindLabel(kind: NewCounterparty["kind"]): string {
  if (kind === "legal") return "legal entity";
  if (kind === "sole_proprietor") return "sole proprietor";
  return "private person";
}
