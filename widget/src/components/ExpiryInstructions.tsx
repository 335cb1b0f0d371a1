import { useTranslator } from "../i18n/i18n-context.js";

export interface ExpiryInstructionsProps {
  steps: string[];
}

/** Always on the settings page: what to do when the amoCRM token expires. */
export function ExpiryInstructions({ steps }: ExpiryInstructionsProps) {
  const { t } = useTranslator();
  if (steps.length === 0) return null;

  return (
    <aside
      class="amo1c-banner amo1c-banner--warning"
      aria-label={t("setup.expiry_title")}
    >
      <h4 class="amo1c-block__title">{t("setup.expiry_title")}</h4>
      <ol class="amo1c-steps">
        {steps.map((step, index) => (
          <li key={index}>{step}</li>
        ))}
      </ol>
    </aside>
  );
}
