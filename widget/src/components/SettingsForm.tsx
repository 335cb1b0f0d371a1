import type { SettingsView } from "../../../shared/settings.js";
import { useTranslator } from "../i18n/i18n-context.js";
import type { SettingsStore } from "../state/create-settings-store.js";
import type { SettingsDraft } from "../state/settings-draft.js";
import { useSettingsStore } from "../state/store-context.js";
import { useSignalValue } from "../state/use-signal-value.js";
import { AmocrmSection } from "./AmocrmSection.js";
import { CheckResultView } from "./CheckResultView.js";
import { ConnectionStatus } from "./ConnectionStatus.js";
import { CopyField } from "./CopyField.js";
import { ErrorMessage } from "./ErrorMessage.js";
import { ExchangeSection } from "./ExchangeSection.js";
import { ExpiryInstructions } from "./ExpiryInstructions.js";
import { OnecSection } from "./OnecSection.js";

/**
 * The admin settings page inside amoCRM's widget settings modal. It is not a
 * <form>: the modal has its own, and amoCRM's Save only stores the backend URL.
 */
export function SettingsForm() {
  const store = useSettingsStore();
  const { t } = useTranslator();
  const view = useSignalValue(store.view);
  const draft = useSignalValue(store.draft);
  const loadError = useSignalValue(store.loadError);

  if (view === null || draft === null) {
    if (loadError?.code === "backend_url_missing") {
      return <p class="amo1c-muted">{t("setup.backend_url_first")}</p>;
    }
    if (loadError !== null) return <ErrorMessage error={loadError} />;
    return <p class="amo1c-muted">{t("common.loading")}</p>;
  }

  return (
    <div class="amo1c-settings">
      <h3 class="amo1c-settings__title">{t("setup.title")}</h3>
      <ConnectionStatus connection={view.connection} />
      <ExpiryInstructions connection={view.connection} />
      <SettingsSections store={store} view={view} draft={draft} />
      <CopyField
        label={t("setup.webhook_url")}
        value={view.webhookUrl}
        hint={t("setup.webhook_url_hint")}
      />
      <SaveAndCheck store={store} />
    </div>
  );
}

interface SettingsSectionsProps {
  store: SettingsStore;
  view: SettingsView;
  draft: SettingsDraft;
}

function SettingsSections({ store, view, draft }: SettingsSectionsProps) {
  return (
    <>
      <AmocrmSection
        values={draft.amocrm}
        stored={view.amocrm}
        onChange={(patch) => store.update("amocrm", patch)}
      />
      <OnecSection
        values={draft.onec}
        stored={view.onec}
        lists={store.lists}
        onChange={(patch) => store.update("onec", patch)}
        onLoadLists={() => void store.loadLists()}
      />
      <ExchangeSection
        values={draft.exchange}
        onChange={(patch) => store.update("exchange", patch)}
      />
    </>
  );
}

function SaveAndCheck({ store }: { store: SettingsStore }) {
  const { t } = useTranslator();
  const saving = useSignalValue(store.saving.running);
  const saved = useSignalValue(store.saving.result) !== null;
  const checking = useSignalValue(store.check.running);

  return (
    <div class="amo1c-actions">
      <div class="amo1c-row">
        <button
          type="button"
          class="amo1c-button amo1c-button--primary"
          disabled={saving}
          onClick={() => void store.save()}
        >
          {saving ? t("setup.saving") : t("setup.save")}
        </button>
        <button
          type="button"
          class="amo1c-button"
          disabled={checking}
          onClick={() => void store.runCheck()}
        >
          {checking ? t("setup.checking") : t("setup.check")}
        </button>
        {saved && (
          <span class="amo1c-status amo1c-status--ok" role="status">
            {t("setup.saved")}
          </span>
        )}
      </div>
      <SaveProblems store={store} />
      <CheckOutput store={store} />
    </div>
  );
}

function SaveProblems({ store }: { store: SettingsStore }) {
  const { t } = useTranslator();
  const saveError = useSignalValue(store.saving.error);
  const fieldErrors = useSignalValue(store.fieldErrors);

  if (Object.keys(fieldErrors).length > 0) {
    return (
      <p class="amo1c-error" role="alert">
        {t("setup.fix_fields")}
      </p>
    );
  }
  return saveError === null ? null : <ErrorMessage error={saveError} />;
}

function CheckOutput({ store }: { store: SettingsStore }) {
  const error = useSignalValue(store.check.error);
  const result = useSignalValue(store.check.result);

  if (error !== null) return <ErrorMessage error={error} />;
  return result === null ? null : <CheckResultView result={result} />;
}
