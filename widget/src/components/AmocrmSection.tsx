import type { SettingsView } from "../../../shared/settings.js";
import { useTranslator } from "../i18n/i18n-context.js";
import type { SettingsDraft } from "../state/settings-draft.js";
import { CheckboxField } from "./CheckboxField.js";
import { CopyField } from "./CopyField.js";
import { SecretField } from "./SecretField.js";
import { TextField } from "./TextField.js";

type AmocrmDraft = SettingsDraft["amocrm"];

export interface AmocrmSectionProps {
  values: AmocrmDraft;
  stored: SettingsView["amocrm"];
  onChange(patch: Partial<AmocrmDraft>): void;
}

/**
 * How amo1c signs in to amoCRM: a long-lived token the admin pastes, or the
 * OAuth code of the integration (reference amocrm §1.2, §2).
 */
export function AmocrmSection({
  values,
  stored,
  onChange,
}: AmocrmSectionProps) {
  const { t } = useTranslator();
  return (
    <fieldset class="amo1c-section">
      <legend class="amo1c-section__title">{t("setup.amocrm_section")}</legend>
      <TextField
        label={t("setup.host")}
        path="amocrm.host"
        value={values.host}
        placeholder={t("setup.host_hint")}
        onValue={(host) => onChange({ host })}
      />
      <CheckboxField
        label={t("setup.long_lived")}
        checked={values.longLivedToken}
        onChecked={(longLivedToken) => onChange({ longLivedToken })}
      />
      {values.longLivedToken ? (
        <LongLivedTokenFields {...{ values, stored, onChange }} />
      ) : (
        <OauthFields {...{ values, stored, onChange }} />
      )}
    </fieldset>
  );
}

function LongLivedTokenFields({
  values,
  stored,
  onChange,
}: AmocrmSectionProps) {
  const { t } = useTranslator();
  return (
    <>
      <SecretField
        label={t("setup.access_token")}
        path="amocrm.accessToken"
        value={values.accessToken}
        stored={stored.accessTokenMasked}
        onValue={(accessToken) => onChange({ accessToken })}
      />
      <TextField
        label={t("setup.token_expires_on")}
        path="amocrm.tokenExpiresOn"
        type="date"
        value={values.tokenExpiresOn}
        onValue={(tokenExpiresOn) => onChange({ tokenExpiresOn })}
      />
    </>
  );
}

function OauthFields({ values, stored, onChange }: AmocrmSectionProps) {
  const { t } = useTranslator();
  return (
    <>
      <CopyField label={t("setup.redirect_uri")} value={stored.redirectUri} />
      <CopyField label={t("setup.client_id")} value={stored.clientId} />
      <SecretField
        label={t("setup.auth_code")}
        path="amocrm.authCode"
        value={values.authCode}
        stored={stored.authCodeSet}
        hint={t("setup.auth_code_hint")}
        onValue={(authCode) => onChange({ authCode })}
      />
    </>
  );
}
