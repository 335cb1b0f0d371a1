/** Keys of objects in the bundled seeds that tests refer to. */
export const UT11 = {
  organization: "6c1e7a10-3f2b-11ee-8d4a-0050569f1a01",
  rub: "1d0a3c20-3f2b-11ee-8d4a-0050569f1a01",
  warehouse: "2e4b5d30-3f2b-11ee-8d4a-0050569f1a01",
  agreement: "3a7c9e40-3f2b-11ee-8d4a-0050569f1a01",
  partnerSber: "5c9e1a3c-3f2b-11ee-8d4a-0050569f1a01",
  partnerYandex: "5c9e1a3d-3f2b-11ee-8d4a-0050569f1a01",
  counterpartySber: "6daf2b46-3f2b-11ee-8d4a-0050569f1a01",
  product: "8fc14d90-3f2b-11ee-8d4a-0050569f1a01",
  order: "a1e36fb0-3f2b-11ee-8d4a-0050569f1a01",
} as const;

export const BP30 = {
  organization: "b2f47fc0-3f2b-11ee-8d4a-0050569f1b01",
  counterpartyYandex: "e527ac02-3f2b-11ee-8d4a-0050569f1b01",
  contactPerson: "f638bd10-3f2b-11ee-8d4a-0050569f1b01",
} as const;
