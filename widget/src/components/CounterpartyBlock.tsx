import type { DealView } from "../../../shared/deal-view.js";
import { toSafeLink } from "../format/to-safe-link.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { OpenInOnecLink } from "./OpenInOnecLink.js";
import { TextValue } from "./TextValue.js";

export interface CounterpartyBlockProps {
  counterparty: NonNullable<DealView["counterparty"]>;
  contactPerson: DealView["contactPerson"];
}

/** The 1C counterparty of the deal, where it came from, its contact person. */
export function CounterpartyBlock(props: CounterpartyBlockProps) {
  const { counterparty, contactPerson } = props;
  const { t } = useTranslator();
  const link = toSafeLink(counterparty.openUrl);

  return (
    <section class="amo1c-block" aria-label={t("panel.counterparty")}>
      <h3 class="amo1c-block__title">{t("panel.counterparty")}</h3>
      <div class="amo1c-row amo1c-row--title">
        <TextValue value={counterparty.name} class="amo1c-strong" />
        {link !== null && <OpenInOnecLink href={link} />}
      </div>
      <div class="amo1c-muted">
        {counterparty.inn !== null && (
          <span>
            {t("panel.inn")} {counterparty.inn} ·{" "}
          </span>
        )}
        <span>{t(`panel.origin_${counterparty.origin}`)}</span>
      </div>
      {contactPerson !== null && (
        <div class="amo1c-row">
          <span class="amo1c-label">{t("panel.contact_person")}</span>
          <TextValue value={contactPerson.name} />
        </div>
      )}
    </section>
  );
}
