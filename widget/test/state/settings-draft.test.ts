import { describe, expect, it } from "vitest";

import {
  toSettingsDraft,
  toSettingsInput,
} from "../../src/state/settings-draft.js";
import { oauthSettings } from "../fixtures/settings-views.js";

describe("settings draft", () => {
  it("offers the account host and 1C defaults on a fresh install", () => {
    const view = oauthSettings();
    view.amocrm.host = "";
    view.onec = null;

    const draft = toSettingsDraft(view, "acme.amocrm.ru");

    expect(draft.amocrm.host).toBe("acme.amocrm.ru");
    expect(draft.onec).toMatchObject({
      profile: "ut11",
      timeZone: "Europe/Moscow",
      password: "",
    });
  });

  it("round-trips stored settings into the same PUT body, secrets left out", () => {
    const view = oauthSettings();
    const conversion = toSettingsInput(toSettingsDraft(view, "x"));

    expect(conversion).toEqual({
      ok: true,
      input: {
        amocrm: {
          host: "acme.amocrm.ru",
          longLivedToken: false,
          tokenExpiresOn: "",
          warnDaysBeforeExpiry: 14,
        },
        onec: {
          odataUrl: "https://1c.example.com/ut/odata/standard.odata",
          user: "amo1c",
          profile: "ut11",
          timeZone: "Europe/Moscow",
          organizationRef: "a1a1a1a1-0000-0000-0000-000000000001",
          agreementRef: "",
          warehouseRef: "",
          currencyRef: "",
          dealItemRef: "",
          vatRateRef: "",
          businessOperation: "РеализацияКлиенту",
          webClientUrl: "https://1c.example.com/ut",
        },
        exchange: {
          createCounterpartiesFromContacts: true,
          createCompaniesInAmocrm: false,
          innFieldId: 512001,
          kppFieldId: null,
        },
      },
    });
  });

  it("treats a secret of spaces as not typed", () => {
    const draft = toSettingsDraft(oauthSettings(), "x");
    draft.amocrm.authCode = "   ";
    draft.amocrm.accessToken = "def50200a1";

    const conversion = toSettingsInput(draft);

    expect(conversion.ok && conversion.input.amocrm).toMatchObject({
      accessToken: "def50200a1",
    });
    expect(conversion.ok && conversion.input.amocrm).not.toHaveProperty(
      "authCode",
    );
  });
});
