import type { DealView } from "../../../shared/deal-view.js";
import { formatMoney } from "../format/format-money.js";
import { formatNaiveDate } from "../format/format-naive-date.js";
import { toSafeLink } from "../format/to-safe-link.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { OpenInOnecLink } from "./OpenInOnecLink.js";
import { TextValue } from "./TextValue.js";

export interface OrderBlockProps {
  order: DealView["order"];
}

/** The customer order written to 1C for the deal. */
export function OrderBlock({ order }: OrderBlockProps) {
  const { t, locale } = useTranslator();
  const link = toSafeLink(order?.openUrl);

  return (
    <section class="amo1c-block" aria-label={t("panel.order")}>
      <h3 class="amo1c-block__title">{t("panel.order")}</h3>
      {order === null ? (
        <p class="amo1c-muted">{t("panel.no_order")}</p>
      ) : (
        <>
          <TextValue
            value={t("panel.order_title", {
              number: order.number,
              date: formatNaiveDate(order.date, locale),
            })}
          />
          <div class="amo1c-row">
            <span class="amo1c-label">{t("panel.order_sum")}</span>
            <span class="amo1c-strong">{formatMoney(order.sum, locale)}</span>
            {link !== null && <OpenInOnecLink href={link} />}
          </div>
        </>
      )}
    </section>
  );
}
