// Order sums are shown in roubles: DealView carries no currency.
const ORDER_CURRENCY = "RUB";

/** An order sum as money in the UI language, such as "12 500,00 ₽". */
export function formatMoney(sum: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: ORDER_CURRENCY,
    minimumFractionDigits: 2,
  }).format(sum);
}
