import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { CounterpartyRecord } from "../../src/onec/gateway-types.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";
import { createTestGateways } from "./helpers/create-test-gateways.js";
import {
  startTestOnec,
  type BaseName,
  type OnecEmulator,
} from "./helpers/start-test-onec.js";

let emulator: OnecEmulator;
let database: TempDatabase;
const { log } = captureLog("silent");

beforeAll(async () => {
  emulator = await startTestOnec();
  database = await createTempDatabase();
});
afterEach(() => emulator.reset());
afterAll(async () => {
  await emulator.stop();
  await database.dispose();
});

/** The set and owner fields each profile stores a contact person with. */
const STORAGE = {
  ut11: { set: "Catalog_КонтактныеЛицаПартнеров" },
  bp30: { set: "Catalog_КонтактныеЛица" },
} as const;

describe.each(["ut11", "bp30"] as const)(
  "contact persons in %s",
  (base: BaseName) => {
    const gateways = () =>
      createTestGateways({ emulator, base, database, log });
    const yandex = async (): Promise<CounterpartyRecord> => {
      const found = await gateways().findCounterpartyByInn("7736207543");
      if (!found) throw new Error("the seeded counterparty ЯНДЕКС is missing");
      return found;
    };
    const sberbank = async (): Promise<CounterpartyRecord> => {
      const found = await gateways().findCounterpartyByInn("7707083893");
      if (!found)
        throw new Error("the seeded counterparty Сбербанк is missing");
      return found;
    };

    it("finds a seeded contact person of its owner by e-mail and by name", async () => {
      const owner = await yandex();

      const byEmail = await gateways().findContactPerson(owner, {
        email: "m.ivanova@yandex-team.example",
        name: "someone else",
      });
      const byName = await gateways().findContactPerson(owner, {
        name: "Иванова Мария Сергеевна",
      });

      expect(byEmail?.name).toBe("Иванова Мария Сергеевна");
      expect(byName?.ref).toBe(byEmail?.ref);
      expect(byEmail?.ownerRef).toBe(
        base === "ut11" ? owner.partnerRef : owner.ref,
      );
    });

    it("does not find a contact person of another owner", async () => {
      const found = await gateways().findContactPerson(await sberbank(), {
        email: "m.ivanova@yandex-team.example",
        name: "Иванова Мария Сергеевна",
      });

      expect(found).toBeNull();
    });

    it("creates a contact person with phone and e-mail and finds it by each", async () => {
      const owner = await sberbank();
      const name = "Д'Артаньян «Шарль» 🤺";
      const created = await gateways().createContactPerson({
        owner,
        name,
        phone: "+7 (926) 000-11-22",
        email: "d.artagnan@example.com",
        purpose: `${base}:contact:55`,
      });

      expect(created).toMatchObject({ name });
      const stored = emulator.get(base, STORAGE[base].set, created.ref);
      if (base === "ut11") {
        expect(stored).toMatchObject({ Owner_Key: owner.partnerRef });
      } else {
        expect(stored).toMatchObject({
          ОбъектВладелец: owner.ref,
          ОбъектВладелец_Type: "StandardODATA.Catalog_Контрагенты",
          ВидКонтактногоЛица: "КонтактноеЛицоКонтрагента",
        });
      }
      const g = gateways();
      const byPhone = await g.findContactPerson(owner, {
        phone: "89260001122",
        name: "x",
      });
      const byEmail = await g.findContactPerson(owner, {
        email: "d.artagnan@example.com",
        name: "x",
      });
      const byName = await g.findContactPerson(owner, { name });
      expect([byPhone?.ref, byEmail?.ref, byName?.ref]).toEqual([
        created.ref,
        created.ref,
        created.ref,
      ]);
      expect(await g.findContactPersonByRef(created.ref)).toEqual(created);
    });

    it("reads a contact person without an owner with ownerRef null", async () => {
      const ref = emulator.insert(base, STORAGE[base].set, {
        Description: "Без владельца",
      });

      expect(await gateways().findContactPersonByRef(ref)).toEqual({
        ref,
        name: "Без владельца",
        ownerRef: null,
      });
    });

    it("prefers the e-mail match over a name match", async () => {
      const owner = await yandex();
      const namesake = await gateways().createContactPerson({
        owner,
        name: "Петров Иван",
        purpose: `${base}:contact:namesake`,
      });

      const found = await gateways().findContactPerson(owner, {
        email: "m.ivanova@yandex-team.example",
        name: "Петров Иван",
      });

      expect(found?.ref).not.toBe(namesake.ref);
      expect(found?.name).toBe("Иванова Мария Сергеевна");
    });
  },
);
