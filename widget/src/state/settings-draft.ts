import type {
  OnecProfileName,
  SettingsInput,
  SettingsView,
} from "../../../shared/settings.js";
import type { MessageKey } from "../i18n/create-translator.js";

/** A problem shown under a form field: the server's text or a UI string. */
export type FieldProblem = { text: string } | { key: MessageKey };

/** The settings form as the admin edits it: text where the user types. */
export interface SettingsDraft {
  amocrm: {
    host: string;
    longLivedToken: boolean;
    tokenExpiresOn: string;
    warnDaysBeforeExpiry: number;
    /** Write-only secrets: empty means "keep the stored value". */
    accessToken: string;
    authCode: string;
  };
  onec: {
    odataUrl: string;
    user: string;
    password: string;
    profile: OnecProfileName;
    timeZone: string;
    organizationRef: string;
    agreementRef: string;
    warehouseRef: string;
    currencyRef: string;
    dealItemRef: string;
    vatRateRef: string;
    businessOperation: string;
    webClientUrl: string;
  };
  exchange: {
    createCounterpartiesFromContacts: boolean;
    createCompaniesInAmocrm: boolean;
    innFieldId: string;
    kppFieldId: string;
  };
}

export type DraftSection = keyof SettingsDraft;

const DEFAULT_ONEC: SettingsDraft["onec"] = {
  odataUrl: "",
  user: "",
  password: "",
  profile: "ut11",
  timeZone: "Europe/Moscow",
  organizationRef: "",
  agreementRef: "",
  warehouseRef: "",
  currencyRef: "",
  dealItemRef: "",
  vatRateRef: "",
  businessOperation: "РеализацияКлиенту",
  webClientUrl: "",
};

/** A fresh form from the stored settings; secrets start empty. */
export function toSettingsDraft(
  view: SettingsView,
  fallbackHost: string,
): SettingsDraft {
  const { amocrm, onec, exchange } = view;
  return {
    amocrm: {
      host: amocrm.host === "" ? fallbackHost : amocrm.host,
      longLivedToken: amocrm.longLivedToken,
      tokenExpiresOn: amocrm.tokenExpiresOn,
      warnDaysBeforeExpiry: amocrm.warnDaysBeforeExpiry,
      accessToken: "",
      authCode: "",
    },
    onec: onec === null ? { ...DEFAULT_ONEC } : toOnecDraft(onec),
    exchange: {
      createCounterpartiesFromContacts:
        exchange.createCounterpartiesFromContacts,
      createCompaniesInAmocrm: exchange.createCompaniesInAmocrm,
      innFieldId: exchange.innFieldId?.toString() ?? "",
      kppFieldId: exchange.kppFieldId?.toString() ?? "",
    },
  };
}

function toOnecDraft(
  onec: NonNullable<SettingsView["onec"]>,
): SettingsDraft["onec"] {
  const { passwordSet: _passwordSet, ...values } = onec;
  return { ...values, password: "" };
}

export type DraftConversion =
  | { ok: true; input: SettingsInput }
  | { ok: false; fieldErrors: Record<string, FieldProblem> };

/** The PUT body; empty secrets are left out so the server keeps them. */
export function toSettingsInput(draft: SettingsDraft): DraftConversion {
  const innFieldId = parseFieldId(draft.exchange.innFieldId);
  const kppFieldId = parseFieldId(draft.exchange.kppFieldId);
  if (innFieldId === undefined || kppFieldId === undefined) {
    return { ok: false, fieldErrors: fieldIdErrors(innFieldId, kppFieldId) };
  }

  const { accessToken, authCode, ...amocrm } = draft.amocrm;
  const { password, ...onec } = draft.onec;
  const input: SettingsInput = {
    amocrm: { ...amocrm, ...nonEmpty({ accessToken, authCode }) },
    onec: { ...onec, ...nonEmpty({ password }) },
    exchange: { ...draft.exchange, innFieldId, kppFieldId },
  };
  return { ok: true, input };
}

function nonEmpty<T extends Record<string, string>>(values: T): Partial<T> {
  const entries = Object.entries(values).filter(([, v]) => v.trim() !== "");
  return Object.fromEntries(entries) as Partial<T>;
}

/** null for an empty field, undefined for text that is not an id. */
function parseFieldId(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  return /^[1-9]\d{0,14}$/.test(trimmed) ? Number(trimmed) : undefined;
}

function fieldIdErrors(
  inn: number | null | undefined,
  kpp: number | null | undefined,
): Record<string, FieldProblem> {
  const problem: FieldProblem = { key: "setup.field_id_invalid" };
  const errors: Record<string, FieldProblem> = {};
  if (inn === undefined) errors["exchange.innFieldId"] = problem;
  if (kpp === undefined) errors["exchange.kppFieldId"] = problem;
  return errors;
}
