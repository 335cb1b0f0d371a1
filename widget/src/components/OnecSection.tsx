import type {
  OnecProfileName,
  SettingsView,
} from "../../../shared/settings.js";
import { useTranslator } from "../i18n/i18n-context.js";
import type { Task } from "../state/create-settings-store.js";
import type { OnecLists } from "../api/create-api-client.js";
import type { SettingsDraft } from "../state/settings-draft.js";
import { useSignalValue } from "../state/use-signal-value.js";
import { ErrorMessage } from "./ErrorMessage.js";
import { FormField } from "./FormField.js";
import { ReferenceSelect } from "./ReferenceSelect.js";
import { SecretField } from "./SecretField.js";
import { TextField } from "./TextField.js";

type OnecDraft = SettingsDraft["onec"];

// Listed here rather than imported: shared/settings.ts pulls zod into the
// bundle, and the widget must stay small.
const PROFILES: readonly OnecProfileName[] = ["ut11", "bp30"];

export interface OnecSectionProps {
  values: OnecDraft;
  stored: SettingsView["onec"];
  lists: Task<OnecLists>;
  onChange(patch: Partial<OnecDraft>): void;
  onLoadLists(): void;
}

/** Where 1C publishes OData, who amo1c signs in as, what orders default to. */
export function OnecSection(props: OnecSectionProps) {
  const { values, stored, onChange } = props;
  const { t } = useTranslator();
  return (
    <fieldset class="amo1c-section">
      <legend class="amo1c-section__title">{t("setup.onec_section")}</legend>
      <TextField
        label={t("setup.odata_url")}
        path="onec.odataUrl"
        type="url"
        value={values.odataUrl}
        placeholder={t("setup.odata_url_hint")}
        onValue={(odataUrl) => onChange({ odataUrl })}
      />
      <TextField
        label={t("setup.onec_user")}
        path="onec.user"
        value={values.user}
        onValue={(user) => onChange({ user })}
      />
      <SecretField
        label={t("setup.onec_password")}
        path="onec.password"
        value={values.password}
        stored={stored?.passwordSet ?? false}
        onValue={(password) => onChange({ password })}
      />
      <ProfileSelect
        value={values.profile}
        onValue={(profile) => onChange({ profile })}
      />
      <TextField
        label={t("setup.time_zone")}
        path="onec.timeZone"
        value={values.timeZone}
        onValue={(timeZone) => onChange({ timeZone })}
      />
      <DefaultsPicker {...props} />
      <TextField
        label={t("setup.web_client_url")}
        path="onec.webClientUrl"
        type="url"
        value={values.webClientUrl}
        hint={t("setup.web_client_url_hint")}
        onValue={(webClientUrl) => onChange({ webClientUrl })}
      />
    </fieldset>
  );
}

interface ProfileSelectProps {
  value: OnecProfileName;
  onValue(profile: OnecProfileName): void;
}

function ProfileSelect({ value, onValue }: ProfileSelectProps) {
  const { t } = useTranslator();
  return (
    <FormField label={t("setup.profile")} path="onec.profile">
      {(input) => (
        <select
          {...input}
          class="amo1c-input"
          value={value}
          onChange={(event) =>
            onValue(event.currentTarget.value as OnecProfileName)
          }
        >
          {PROFILES.map((profile) => (
            <option key={profile} value={profile}>
              {t(`setup.profile_${profile}`)}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/**
 * Organization, agreement, warehouse and the item carrying the deal's sum,
 * chosen from lists read from 1C.
 */
function DefaultsPicker({
  values,
  lists,
  onChange,
  onLoadLists,
}: OnecSectionProps) {
  const { t } = useTranslator();
  const loaded = useSignalValue(lists.result);
  const error = useSignalValue(lists.error);
  const running = useSignalValue(lists.running);

  return (
    <div class="amo1c-group">
      <ReferenceSelect
        label={t("setup.organization")}
        path="onec.organizationRef"
        value={values.organizationRef}
        options={loaded?.organizations ?? null}
        onValue={(organizationRef) => onChange({ organizationRef })}
      />
      <ReferenceSelect
        label={t("setup.agreement")}
        path="onec.agreementRef"
        value={values.agreementRef}
        options={loaded?.agreements ?? null}
        onValue={(agreementRef) => onChange({ agreementRef })}
      />
      <ReferenceSelect
        label={t("setup.warehouse")}
        path="onec.warehouseRef"
        value={values.warehouseRef}
        options={loaded?.warehouses ?? null}
        onValue={(warehouseRef) => onChange({ warehouseRef })}
      />
      <ReferenceSelect
        label={t("setup.deal_item")}
        path="onec.dealItemRef"
        value={values.dealItemRef}
        options={loaded?.items ?? null}
        onValue={(dealItemRef) => onChange({ dealItemRef })}
      />
      {values.profile === "ut11" && (
        <ReferenceSelect
          label={t("setup.vat_rate")}
          path="onec.vatRateRef"
          value={values.vatRateRef}
          options={loaded?.vatRates ?? null}
          onValue={(vatRateRef) => onChange({ vatRateRef })}
        />
      )}
      {error !== null && <ErrorMessage error={error} />}
      <button
        type="button"
        class="amo1c-button"
        disabled={running}
        onClick={onLoadLists}
      >
        {running ? t("setup.loading_lists") : t("setup.load_lists")}
      </button>
    </div>
  );
}
