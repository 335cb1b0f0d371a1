import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import type { CheckResult } from "../../../shared/check-result.js";
import type { SettingsView } from "../../../shared/settings.js";
import { createApiClient } from "../../src/api/create-api-client.js";
import type { TransportRequest } from "../../src/api/transport.js";
import { SettingsForm } from "../../src/components/SettingsForm.js";
import type { Language } from "../../src/i18n/create-translator.js";
import { createSettingsStore } from "../../src/state/create-settings-store.js";
import { SettingsStoreContext } from "../../src/state/store-context.js";
import {
  FAILED_CHECK,
  longLivedSettings,
  oauthSettings,
} from "../fixtures/settings-views.js";
import { createFakeTransport } from "../helpers/create-fake-transport.js";
import type { Reply } from "../helpers/create-fake-transport.js";
import { renderInWidget } from "../helpers/render-in-widget.js";

const SETTINGS_ROUTE = "GET /api/v1/settings";
const SAVE_ROUTE = "PUT /api/v1/settings";
const LISTS = {
  organizations: [
    { ref: "a1a1a1a1-0000-0000-0000-000000000001", name: "ООО «Ромашка»" },
    { ref: "a1a1a1a1-0000-0000-0000-000000000002", name: "ИП Смирнов" },
  ],
  agreements: [
    { ref: "b2b2b2b2-0000-0000-0000-000000000001", name: "Основное" },
  ],
  warehouses: [],
  items: [],
  vatRates: [],
};

function renderSettings(
  view: SettingsView,
  routes: Record<string, Reply> = {},
  lang: Language = "en",
) {
  const { transport, requests } = createFakeTransport({
    [SETTINGS_ROUTE]: { status: 200, body: view },
    "GET /api/v1/settings/onec/lists": { status: 200, body: LISTS },
    [SAVE_ROUTE]: { status: 200, body: view },
    ...routes,
  });
  const api = createApiClient({
    baseUrl: "https://amo1c.example.com",
    transport,
  });
  const store = createSettingsStore({ api, accountHost: "acme.amocrm.ru" });
  renderInWidget(
    <SettingsStoreContext.Provider value={store}>
      <SettingsForm />
    </SettingsStoreContext.Provider>,
    lang,
  );
  void store.load();
  return { store, requests };
}

function savedBody(
  requests: TransportRequest[],
): Record<string, Record<string, unknown>> {
  const put = requests.find((request) => request.method === "PUT");
  if (put === undefined) throw new Error("no PUT was sent");
  return put.body as Record<string, Record<string, unknown>>;
}

/** The title of the Check step with this id, without its outcome mark. */
function stepTitle(id: string): string | null | undefined {
  return document.querySelector(`[data-step="${id}"] > span:not([data-status])`)
    ?.textContent;
}

function field(path: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-field="${path}"]`);
  if (element === null) throw new Error(`no field ${path}`);
  return element;
}

describe("SettingsForm", () => {
  it("offers the OAuth fields while the long-lived token flag is off", async () => {
    renderSettings(oauthSettings());

    const redirect = await screen.findByLabelText(
      "Redirect URI of the integration",
    );
    expect((redirect as HTMLInputElement).value).toBe(
      "https://amo1c.example.com/oauth/callback",
    );
    expect(screen.getByLabelText("Authorization code")).toBeTruthy();
    expect(screen.queryByLabelText("Long-lived token")).toBeNull();
    expect(screen.queryByLabelText("Token expiry date")).toBeNull();
  });

  it("swaps the OAuth fields for the token and its expiry date when the flag is set", async () => {
    renderSettings(oauthSettings());

    fireEvent.click(await screen.findByLabelText("Use a long-lived token"));

    expect(await screen.findByLabelText("Long-lived token")).toBeTruthy();
    expect(screen.getByLabelText("Token expiry date")).toBeTruthy();
    expect(
      screen.queryByLabelText("Redirect URI of the integration"),
    ).toBeNull();
    expect(screen.queryByLabelText("Authorization code")).toBeNull();
  });

  it("never shows stored secrets and keeps them when their fields stay empty", async () => {
    const { requests } = renderSettings(longLivedSettings());

    const token = (await screen.findByLabelText(
      "Long-lived token",
    )) as HTMLInputElement;
    const password = screen.getByLabelText("Password") as HTMLInputElement;
    expect(token.type).toBe("password");
    expect(token.value).toBe("");
    expect(token.placeholder).toBe("stored …a1b2, leave empty to keep");
    expect(password.value).toBe("");
    expect(password.placeholder).toBe("stored, leave empty to keep");

    fireEvent.click(screen.getByText("Save"));
    await screen.findByText("Saved");

    const body = savedBody(requests);
    expect(body.amocrm).not.toHaveProperty("accessToken");
    expect(body.amocrm).not.toHaveProperty("authCode");
    expect(body.onec).not.toHaveProperty("password");
    expect(body.amocrm?.tokenExpiresOn).toBe("2031-05-01");
  });

  it("sends a secret the admin typed and clears the field after saving", async () => {
    const { requests } = renderSettings(longLivedSettings());

    const password = (await screen.findByLabelText(
      "Password",
    )) as HTMLInputElement;
    fireEvent.input(password, { target: { value: "n3w-pa55" } });
    fireEvent.click(screen.getByText("Save"));
    await screen.findByText("Saved");

    expect(savedBody(requests).onec?.password).toBe("n3w-pa55");
    expect((screen.getByLabelText("Password") as HTMLInputElement).value).toBe(
      "",
    );
  });

  it("shows the server's validation error at the field it names", async () => {
    renderSettings(oauthSettings(), {
      [SAVE_ROUTE]: {
        status: 400,
        body: {
          error: {
            code: "validation_failed",
            message: "Some settings are invalid",
            fields: {
              "onec.odataUrl": "the URL must end with /odata/standard.odata",
            },
          },
        },
      },
    });

    const url = await screen.findByLabelText("OData URL");
    fireEvent.input(url, { target: { value: "https://1c.example.com/ut" } });
    fireEvent.click(screen.getByText("Save"));

    await within(field("onec.odataUrl")).findByText(
      "the URL must end with /odata/standard.odata",
    );
    expect(
      screen.getByLabelText("OData URL").getAttribute("aria-invalid"),
    ).toBe("true");
    expect(screen.getByRole("alert").textContent).toBe(
      "Some fields need fixing: see the messages below them.",
    );

    fireEvent.input(screen.getByLabelText("OData URL"), {
      target: { value: "https://1c.example.com/ut/odata/standard.odata" },
    });
    await waitFor(() =>
      expect(within(field("onec.odataUrl")).queryByText(/must end/)).toBeNull(),
    );
  });

  it("shows a Russian admin the field's own message instead of the server's English", async () => {
    renderSettings(
      oauthSettings(),
      {
        [SAVE_ROUTE]: {
          status: 400,
          body: {
            error: {
              code: "validation_failed",
              message: "Check the field amocrm.host: expected the account host",
              fields: {
                "amocrm.host":
                  "expected the account host, such as acme.amocrm.ru or acme.kommo.com",
                "onec.organizationRef": "expected a 1C reference (GUID)",
              },
            },
          },
        },
      },
      "ru",
    );

    await screen.findByLabelText("Адрес OData");
    fireEvent.click(screen.getByText("Сохранить"));

    await within(field("amocrm.host")).findByText(
      "Укажите адрес аккаунта, например acme.amocrm.ru или acme.kommo.com.",
    );
    // A field without a message of its own keeps the server's words.
    await within(field("onec.organizationRef")).findByText(
      "expected a 1C reference (GUID)",
    );
  });

  it("points at a field id that is not a number without calling the server", async () => {
    const { requests } = renderSettings(oauthSettings());

    const inn = await screen.findByLabelText("ID of the company INN field");
    fireEvent.input(inn, { target: { value: "INN" } });
    fireEvent.click(screen.getByText("Save"));

    await within(field("exchange.innFieldId")).findByText(
      "expected a field ID (digits) or nothing",
    );
    expect(requests.some((request) => request.method === "PUT")).toBe(false);
  });

  it("renders each step of the Check with the servers' own messages", async () => {
    renderSettings(oauthSettings(), {
      "POST /api/v1/settings/check": { status: 200, body: FAILED_CHECK },
    });

    fireEvent.click(await screen.findByText("Check"));

    await screen.findByText("The check found problems");
    const auth = document.querySelector<HTMLElement>('[data-step="onec_auth"]');
    expect(auth?.querySelector("[data-status]")?.textContent).toBe("failed");
    expect(auth?.querySelector("q")?.textContent).toBe(
      "Ошибка аутентификации пользователя amo1c",
    );
    expect(auth?.textContent).toContain(
      "What to do: Check the 1C user name and password.",
    );
    const skipped = document.querySelector('[data-step="onec_profile"]');
    expect(skipped?.querySelector("[data-status]")?.textContent).toBe(
      "skipped",
    );
    expect(
      document.querySelector('[data-step="account"] [data-status]')
        ?.textContent,
    ).toBe("ok");
  });

  it("shows the connection state the Check left, keeping what the admin typed", async () => {
    const broken = oauthSettings();
    broken.connection = {
      ...broken.connection,
      state: "needs_attention",
      message: "amoCRM did not exchange the authorization code for tokens",
    };
    let checked = false;
    renderSettings(oauthSettings(), {
      [SETTINGS_ROUTE]: () => ({
        status: 200,
        body: checked ? broken : oauthSettings(),
      }),
      "POST /api/v1/settings/check": () => {
        checked = true;
        return { status: 200, body: FAILED_CHECK };
      },
    });
    const code = await screen.findByLabelText("Authorization code");
    fireEvent.input(code, { target: { value: "typed, not saved" } });

    fireEvent.click(screen.getByText("Check"));

    await screen.findByText("needs attention");
    screen.getByText(
      "amoCRM did not exchange the authorization code for tokens",
    );
    expect((code as HTMLInputElement).value).toBe("typed, not saved");
  });

  it("offers organizations read from 1C and keeps the stored choice", async () => {
    renderSettings(oauthSettings());

    await screen.findByRole("option", { name: "ИП Смирнов" });
    const organization = screen.getByLabelText(
      "Organization",
    ) as HTMLSelectElement;
    expect(organization.value).toBe("a1a1a1a1-0000-0000-0000-000000000001");
    expect(
      Array.from(organization.options).map((option) => option.textContent),
    ).toEqual(["— not chosen —", "ООО «Ромашка»", "ИП Смирнов"]);
  });

  it("shows the webhook URL and the steps for an expiring token", async () => {
    renderSettings(oauthSettings());

    const webhook = (await screen.findByLabelText(
      "Webhook URL",
    )) as HTMLInputElement;
    expect(webhook.readOnly).toBe(true);
    expect(webhook.value).toBe(
      "https://amo1c.example.com/webhooks/amocrm/9f2c",
    );
    const steps = screen.getByLabelText("When the token expires");
    expect(
      within(steps)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(oauthSettings().connection.expiryInstructions);
  });

  it("lists the steps for an expiring long-lived token in Russian", async () => {
    renderSettings(longLivedSettings(), {}, "ru");

    const steps = await screen.findByLabelText("Когда токен истечёт");
    expect(
      within(steps)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual([
      "В amoCRM откройте «Настройки → Интеграции», интеграцию amo1c и её вкладку «Ключи и доступы».",
      "Сгенерируйте новый долгосрочный токен и выберите срок его действия (от 1 дня до 5 лет).",
      "Вставьте токен и ту же дату в раздел amoCRM настроек amo1c, сохраните и нажмите «Проверить».",
      "Когда новый токен заработает, отзовите старый на вкладке «Авторизация» интеграции.",
    ]);
  });

  it("lists the OAuth steps in Russian while the account is not set up", async () => {
    const view = oauthSettings();
    view.connection = { ...view.connection, mode: null };
    renderSettings(view, {}, "ru");

    const steps = await screen.findByLabelText("Когда токен истечёт");
    expect(within(steps).getAllByRole("listitem")[1]?.textContent).toBe(
      "Если подключение требует внимания: в amoCRM откройте «Настройки → Интеграции», интеграцию amo1c, вкладку «Ключи и доступы» и скопируйте код авторизации.",
    );
  });

  it("titles the Check's steps in Russian, with the values the server named", async () => {
    renderSettings(
      oauthSettings(),
      { "POST /api/v1/settings/check": { status: 200, body: FAILED_CHECK } },
      "ru",
    );

    fireEvent.click(await screen.findByText("Проверить"));

    await screen.findByText("Проверка нашла проблемы");
    expect(stepTitle("onec_auth")).toBe("Войти в 1С под пользователем amo1c");
    expect(stepTitle("onec_profile")).toBe("Сверить профиль конфигурации");
    expect(stepTitle("long_lived_expiry")).toBe(
      "Долгосрочный токен действует до 1 мая 2031 г.",
    );
    expect(stepTitle("account")).toBe(
      "amoCRM вернул данные аккаунта Acme (acme, ID 31234567)",
    );
  });

  it("shows the server's English for a step title or mode it does not know", async () => {
    const newer: CheckResult = {
      ...FAILED_CHECK,
      onec: {
        ok: false,
        steps: [
          {
            id: "onec_prices",
            title: "Read the price types",
            titleKey: "onec_prices",
            outcome: "failed",
          },
          {
            id: "onec_auth",
            title: "1C answered 500 Internal Server Error",
            outcome: "failed",
          },
        ],
      },
    };
    const view = oauthSettings();
    view.connection = {
      ...view.connection,
      mode: "sso" as never,
      expiryInstructions: ["Sign in again."],
    };
    renderSettings(
      view,
      { "POST /api/v1/settings/check": { status: 200, body: newer } },
      "ru",
    );

    const steps = await screen.findByLabelText("Когда токен истечёт");
    expect(within(steps).getByRole("listitem").textContent).toBe(
      "Sign in again.",
    );
    fireEvent.click(screen.getByText("Проверить"));
    await screen.findByText("Проверка нашла проблемы");
    expect(stepTitle("onec_prices")).toBe("Read the price types");
    expect(stepTitle("onec_auth")).toBe(
      "1C answered 500 Internal Server Error",
    );
  });

  it("tells a user who is not an admin that the settings are for admins", async () => {
    renderSettings(oauthSettings(), {
      [SETTINGS_ROUTE]: {
        status: 403,
        body: {
          error: { code: "widget_admin_required", message: "admin only" },
        },
      },
    });

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "Only an amoCRM administrator can see and change the amo1c settings.",
    );
  });
});
