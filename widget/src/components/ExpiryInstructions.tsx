import type { ConnectionView } from "../../../shared/settings.js";
import type { MessageKey } from "../i18n/create-translator.js";
import { useTranslator } from "../i18n/i18n-context.js";

/**
 * The steps for each mode, in the user's language. The server sends the
 * same steps in English (its expiryInstructions, for the CLI and logs);
 * an account not set up yet gets the OAuth steps, as the server gives it.
 */
const EXPIRY_STEPS: Partial<Record<string, MessageKey[]>> = {
  long_lived: [
    "setup.expiry_long_lived_1",
    "setup.expiry_long_lived_2",
    "setup.expiry_long_lived_3",
    "setup.expiry_long_lived_4",
  ],
  oauth: [
    "setup.expiry_oauth_1",
    "setup.expiry_oauth_2",
    "setup.expiry_oauth_3",
  ],
};

export interface ExpiryInstructionsProps {
  connection: Pick<ConnectionView, "mode" | "expiryInstructions">;
}

/** Always on the settings page: what to do when the amoCRM token expires. */
export function ExpiryInstructions({ connection }: ExpiryInstructionsProps) {
  const { t } = useTranslator();
  // A mode this widget does not know (a newer server): the server's words.
  const keys = EXPIRY_STEPS[connection.mode ?? "oauth"];
  const steps = keys?.map((key) => t(key)) ?? connection.expiryInstructions;
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
