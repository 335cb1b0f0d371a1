import { useTranslator } from "../i18n/i18n-context.js";

export interface OpenInOnecLinkProps {
  /** An http(s) link into the 1C web client. */
  href: string;
}

export function OpenInOnecLink({ href }: OpenInOnecLinkProps) {
  const { t } = useTranslator();
  return (
    <a class="amo1c-link" href={href} target="_blank" rel="noopener noreferrer">
      {t("panel.open_in_1c")}
    </a>
  );
}
