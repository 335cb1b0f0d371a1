import { describe, expect, test } from "vitest";

import type {
  AmoCompany,
  AmoContact,
  AmoLead,
} from "../../src/amocrm/api-types.js";
import { decideCompanyBacklink } from "../../src/exchange/decide-company-backlink.js";
import {
  decideCounterpartySource,
  orderContactsMainFirst,
} from "../../src/exchange/decide-counterparty-source.js";
import { decideOrderChanges } from "../../src/exchange/decide-order-changes.js";
import type {
  CounterpartyRecord,
  OrderRecord,
} from "../../src/onec/gateway-types.js";
import { exchangeSettingsSchema } from "../../../shared/settings.js";

const settings = exchangeSettingsSchema.parse({
  innFieldId: 501,
  kppFieldId: 502,
});

function lead(overrides: Partial<AmoLead> = {}): AmoLead {
  return {
    id: 10,
    name: "Поставка",
    price: 1500,
    pipelineId: 1,
    statusId: 2,
    updatedAt: 0,
    isDeleted: false,
    contacts: [],
    companyId: null,
    customFields: [],
    ...overrides,
  };
}

function contact(id: number, name: string): AmoContact {
  return {
    id,
    name,
    firstName: "",
    lastName: "",
    phones: [],
    emails: [],
    customFields: [],
  };
}

function company(inn: string, kpp = ""): AmoCompany {
  return {
    id: 77,
    name: "ООО «Ромашка»",
    phones: [],
    emails: [],
    customFields: [
      {
        fieldId: 501,
        fieldCode: null,
        values: [{ value: inn, enumCode: null }],
      },
      {
        fieldId: 502,
        fieldCode: null,
        values: [{ value: kpp, enumCode: null }],
      },
    ],
  };
}

const counterparty: CounterpartyRecord = {
  ref: "c1",
  name: "ООО «Ромашка»",
  inn: "7707083893",
  kpp: null,
  kind: "legal",
  partnerRef: "p1",
};

describe("counterparty source", () => {
  test("a deal with a company takes the company, with INN and KPP as digits", () => {
    const source = decideCounterpartySource(
      {
        lead: lead({ companyId: 77 }),
        contacts: [contact(1, "Иванов")],
        company: company(" 7707 083893", "773601001"),
      },
      settings,
    );
    expect(source).toMatchObject({
      kind: "company",
      inn: "7707083893",
      kpp: "773601001",
    });
  });

  test("an INN of a wrong length is ignored rather than searched", () => {
    const source = decideCounterpartySource(
      { lead: lead(), contacts: [], company: company("12345") },
      settings,
    );
    expect(source).toMatchObject({ kind: "company", inn: null });
  });

  test("a contact-only deal takes its main contact while the create setting is on", () => {
    const deal = {
      lead: lead(),
      contacts: [contact(2, "Иванов И.И.")],
      company: null,
    };
    expect(decideCounterpartySource(deal, settings)).toMatchObject({
      kind: "contact",
      contact: { id: 2 },
    });
  });

  test("with the create setting off a contact-only deal gets no counterparty, and says why", () => {
    const deal = {
      lead: lead(),
      contacts: [contact(2, "Иванов И.И.")],
      company: null,
    };
    const off = { ...settings, createCounterpartiesFromContacts: false };
    expect(decideCounterpartySource(deal, off)).toEqual({
      kind: "none",
      reason: expect.stringMatching(/Create counterparties when loading deals/),
    });
    // The setting is about contact-only deals: a company still counts.
    const withCompany = { ...deal, company: company("7707083893") };
    expect(decideCounterpartySource(withCompany, off)).toMatchObject({
      kind: "company",
    });
  });

  test("a deleted deal and a deal with nobody cause no writes", () => {
    const deleted = decideCounterpartySource(
      {
        lead: lead({ isDeleted: true }),
        contacts: [contact(1, "A")],
        company: null,
      },
      settings,
    );
    expect(deleted).toMatchObject({
      kind: "none",
      reason: expect.stringMatching(/deleted/),
    });
    expect(
      decideCounterpartySource(
        { lead: null, contacts: [], company: null },
        settings,
      ).kind,
    ).toBe("none");
    const nobody = decideCounterpartySource(
      { lead: lead(), contacts: [], company: null },
      settings,
    );
    expect(nobody).toMatchObject({
      kind: "none",
      reason: expect.stringMatching(/neither/),
    });
  });

  test("contacts are ordered main first", () => {
    const l = lead({
      contacts: [
        { id: 1, isMain: false },
        { id: 2, isMain: true },
      ],
    });
    const ordered = orderContactsMainFirst(l, [
      contact(1, "A"),
      contact(2, "B"),
    ]);
    expect(ordered.map((c) => c.id)).toEqual([2, 1]);
  });
});

describe("order changes", () => {
  const current: OrderRecord = {
    ref: "o1",
    number: "ТД00-000001",
    date: "2026-12-03T10:00:00",
    sum: 1500,
    counterpartyRef: "c1",
    contactPersonRef: "p1",
    comment: "deal",
  };
  const desired = {
    counterparty,
    contactPersonRef: "p1",
    sum: 1500,
    comment: "deal",
  };

  test("creates when 1C has no order", () => {
    expect(decideOrderChanges(null, desired)).toEqual({ kind: "create" });
  });

  test("writes nothing when nothing changed, sums compared in kopecks", () => {
    expect(
      decideOrderChanges({ ...current, sum: 1500.0000001 }, desired),
    ).toEqual({
      kind: "unchanged",
    });
  });

  test("sends only the fields that differ", () => {
    const other = { ...counterparty, ref: "c2" };
    const decision = decideOrderChanges(current, {
      ...desired,
      counterparty: other,
      sum: 99.5,
    });
    expect(decision).toEqual({
      kind: "update",
      changes: { counterparty: other, sum: 99.5 },
    });
  });
});

describe("company back-link", () => {
  const on = { ...settings, createCompaniesInAmocrm: true };

  test("creates an amoCRM company only for a company found in 1C", () => {
    expect(
      decideCompanyBacklink({
        settings: on,
        dealHasCompany: false,
        origin: "found",
        counterparty,
      }),
    ).toBe(true);
  });

  test("never for a counterparty made from a contact, nor a private person", () => {
    const person = { ...counterparty, kind: "person" as const };
    expect(
      decideCompanyBacklink({
        settings: on,
        dealHasCompany: false,
        origin: "contact",
        counterparty,
      }),
    ).toBe(false);
    expect(
      decideCompanyBacklink({
        settings: on,
        dealHasCompany: false,
        origin: "found",
        counterparty: person,
      }),
    ).toBe(false);
  });

  test("never when the setting is off or the deal already has a company", () => {
    expect(
      decideCompanyBacklink({
        settings,
        dealHasCompany: false,
        origin: "found",
        counterparty,
      }),
    ).toBe(false);
    expect(
      decideCompanyBacklink({
        settings: on,
        dealHasCompany: true,
        origin: "found",
        counterparty,
      }),
    ).toBe(false);
  });
});

describe("rule 3: the deal's contact is replaced", () => {
  const ivanov = contact(1, "Иванов И.И.");
  const fedorov = contact(2, "Федоров С.А.");
  const createOn = { ...settings, createCounterpartiesFromContacts: true };

  test("the counterparty source follows the new main contact", () => {
    const replaced = lead({
      contacts: [
        { id: 1, isMain: false },
        { id: 2, isMain: true },
      ],
    });
    const contacts = orderContactsMainFirst(replaced, [ivanov, fedorov]);

    const source = decideCounterpartySource(
      { lead: replaced, contacts, company: null },
      createOn,
    );

    expect(source).toEqual({ kind: "contact", contact: fedorov });
  });

  test("the order switches counterparty and contact person, and only them", () => {
    const ivanovOrder: OrderRecord = {
      ref: "o1",
      number: "ТД00-000001",
      date: "2026-12-03T10:00:00",
      sum: 1500,
      counterpartyRef: "ivanov-cp",
      contactPersonRef: "ivanov-person",
      comment: "deal",
    };
    const fedorovCounterparty: CounterpartyRecord = {
      ...counterparty,
      ref: "fedorov-cp",
      name: "Федоров С.А.",
      inn: null,
      kind: "person",
    };

    const decision = decideOrderChanges(ivanovOrder, {
      counterparty: fedorovCounterparty,
      contactPersonRef: "fedorov-person",
      sum: 1500,
      comment: "deal",
    });

    expect(decision).toEqual({
      kind: "update",
      changes: {
        counterparty: fedorovCounterparty,
        contactPersonRef: "fedorov-person",
      },
    });
  });

  test("neither counterparty made from a contact yields an amoCRM company", () => {
    const on = { ...createOn, createCompaniesInAmocrm: true };
    for (const ref of ["ivanov-cp", "fedorov-cp"]) {
      const made = { ...counterparty, ref, inn: null, kind: "person" as const };
      expect(
        decideCompanyBacklink({
          settings: on,
          dealHasCompany: false,
          origin: "contact",
          counterparty: made,
        }),
      ).toBe(false);
    }
  });
});
