import type { ConnectionView } from "../../../shared/settings.js";
import { formatInstant } from "../format/format-instant.js";
import type { Translator } from "../i18n/create-translator.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface ConnectionBannerProps {
  connection: ConnectionView;
}

/** Warns when the amoCRM token expires soon or the connection is broken. */
export function ConnectionBanner({ connection }: ConnectionBannerProps) {
  const translator = useTranslator();
  if (connection.state === "ok") return null;

  const tone = connection.state === "expiring" ? "warning" : "error";
  return (
    <div class={`amo1c-banner amo1c-banner--${tone}`} role="status">
      {describeConnection(connection, translator)}
    </div>
  );
}

function describeConnection(
  connection: ConnectionView,
  { t, locale }: Translator,
): string {
  switch (connection.state) {
    case "expiring":
      return connection.expiresAt === null
        ? t("connection.expiring_no_date")
        : t("connection.expiring", {
            date: formatInstant(connection.expiresAt, {
              locale,
              withTime: false,
            }),
          });
    case "expired":
      return t("connection.expired");
    case "not_configured":
      return t("connection.not_configured");
    default:
      return connection.message === null
        ? t("connection.needs_attention_no_message")
        : t("connection.needs_attention", { message: connection.message });
  }
}
