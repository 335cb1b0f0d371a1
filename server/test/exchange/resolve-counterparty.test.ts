import { afterEach, beforeEach, describe, expect, test } from "vitest";

import type { AmoContact } from "../../src/amocrm/api-types.js";
import { createDealStateRepository } from "../../src/exchange/deal-state-repository.js";
import { createEntityLinksRepository } from "../../src/exchange/entity-links-repository.js";
import { resolveCounterparty } from "../../src/exchange/resolve-counterparty.js";
import type { SyncContext } from "../../src/exchange/sync-context.js";
import type {
  CounterpartyRecord,
  NewCounterparty,
  OnecGateways,
} from "../../src/onec/gateway-types.js";
import { exchangeSettingsSchema } from "../../../shared/settings.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";

interface StoredCounterparty extends CounterpartyRecord {
  phone: string | undefined;
  email: string | undefined;
}

/** The counterparty part of a 1C base: search by phone/e-mail, create. */
function createFakeOnec(seed: StoredCounterparty[] = []) {
  const stored = [...seed];
  const gateways = {
    findCounterpartyByRef: (ref: string) =>
      Promise.resolve(stored.find((c) => c.ref === ref) ?? null),
    findCounterpartyByPhone: (phone: string) =>
      Promise.resolve(stored.find((c) => c.phone === phone) ?? null),
    findCounterpartyByEmail: (email: string) =>
      Promise.resolve(stored.find((c) => c.email === email) ?? null),
    createCounterparty(input: NewCounterparty) {
      const record = {
        ref: `ref-${stored.length + 1}`,
        name: input.name,
        inn: null,
        kpp: null,
        kind: input.kind,
        partnerRef: null,
        phone: input.phone,
        email: input.email,
      };
      stored.push(record);
      return Promise.resolve(record);
    },
  };
  return { gateways: gateways as unknown as OnecGateways, stored };
}

function contact(id: number, name: string, phone: string): AmoContact {
  return {
    id,
    name,
    firstName: "",
    lastName: "",
    phones: [phone],
    emails: [],
    customFields: [],
  };
}

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(async () => db.dispose());

function contextWith(onec: OnecGateways): SyncContext {
  return {
    amocrm: {} as SyncContext["amocrm"],
    onec,
    links: createEntityLinksRepository(db.db),
    states: createDealStateRepository(db.db),
    settings: exchangeSettingsSchema.parse({}),
    accountUrl: "https://acme.amocrm.ru",
    log: captureLog("fatal").log,
    trail: { reads: [], writes: [] },
  };
}

describe("a contact-only deal's counterparty (rules 2 and 3)", () => {
  const sharedPhone = "+79161112233";

  test("a new contact sharing a phone never takes the counterparty made from another contact", async () => {
    const onec = createFakeOnec();
    const ctx = contextWith(onec.gateways);
    const ivanov = contact(1, "Иванов И.И.", sharedPhone);
    const fedorov = contact(2, "Федоров С.А.", sharedPhone);

    const first = await resolveCounterparty(ctx, {
      kind: "contact",
      contact: ivanov,
    });
    const second = await resolveCounterparty(ctx, {
      kind: "contact",
      contact: fedorov,
    });

    expect(first).toMatchObject({
      kind: "resolved",
      counterparty: { origin: "contact", record: { name: "Иванов И.И." } },
    });
    expect(second).toMatchObject({
      kind: "resolved",
      counterparty: {
        origin: "contact",
        contactId: 2,
        record: { name: "Федоров С.А." },
      },
    });
    expect(onec.stored.map((c) => c.name)).toEqual([
      "Иванов И.И.",
      "Федоров С.А.",
    ]);
  });

  test("a counterparty 1C already held is found by phone, also for a second contact", async () => {
    const onec = createFakeOnec([
      {
        ref: "yandex",
        name: "ЯНДЕКС ООО",
        inn: "7736207543",
        kpp: null,
        kind: "legal",
        partnerRef: null,
        phone: sharedPhone,
        email: undefined,
      },
    ]);
    const ctx = contextWith(onec.gateways);

    for (const c of [
      contact(1, "Бухгалтер", sharedPhone),
      contact(2, "Юрист", sharedPhone),
    ]) {
      expect(
        await resolveCounterparty(ctx, { kind: "contact", contact: c }),
      ).toMatchObject({
        counterparty: { origin: "found", record: { ref: "yandex" } },
      });
    }
    expect(onec.stored).toHaveLength(1);
  });

  test("the contact a counterparty was made from finds it again", async () => {
    const onec = createFakeOnec();
    const ctx = contextWith(onec.gateways);
    const ivanov = contact(1, "Иванов И.И.", sharedPhone);
    await resolveCounterparty(ctx, { kind: "contact", contact: ivanov });
    // The link is lost (a restore from backup); 1C still has the object.
    await ctx.links.remove("contact_counterparty", 1);

    const again = await resolveCounterparty(ctx, {
      kind: "contact",
      contact: ivanov,
    });
    expect(again).toMatchObject({ counterparty: { record: { ref: "ref-1" } } });
    expect(onec.stored).toHaveLength(1);
  });
});
