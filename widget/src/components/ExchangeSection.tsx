import { useTranslator } from "../i18n/i18n-context.js";
import type { SettingsDraft } from "../state/settings-draft.js";
import { CheckboxField } from "./CheckboxField.js";
import { TextField } from "./TextField.js";

type ExchangeDraft = SettingsDraft["exchange"];

export interface ExchangeSectionProps {
  values: ExchangeDraft;
  onChange(patch: Partial<ExchangeDraft>): void;
}

/** What the exchange may create on each side, and where the INN/KPP live. */
export function ExchangeSection({ values, onChange }: ExchangeSectionProps) {
  const { t } = useTranslator();
  return (
    <fieldset class="amo1c-section">
      <legend class="amo1c-section__title">
        {t("setup.exchange_section")}
      </legend>
      <CheckboxField
        label={t("setup.create_counterparties")}
        checked={values.createCounterpartiesFromContacts}
        onChecked={(createCounterpartiesFromContacts) =>
          onChange({ createCounterpartiesFromContacts })
        }
      />
      <CheckboxField
        label={t("setup.create_companies")}
        checked={values.createCompaniesInAmocrm}
        onChecked={(createCompaniesInAmocrm) =>
          onChange({ createCompaniesInAmocrm })
        }
      />
      <TextField
        label={t("setup.inn_field_id")}
        path="exchange.innFieldId"
        value={values.innFieldId}
        onValue={(innFieldId) => onChange({ innFieldId })}
      />
      <TextField
        label={t("setup.kpp_field_id")}
        path="exchange.kppFieldId"
        value={values.kppFieldId}
        onValue={(kppFieldId) => onChange({ kppFieldId })}
      />
    </fieldset>
  );
}
