import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import type { DealView, SyncResponse } from "../../../shared/deal-view.js";
import type { TransportResponse } from "../../src/api/transport.js";
import { createApiClient } from "../../src/api/create-api-client.js";
import { DealPanel } from "../../src/components/DealPanel.js";
import { createDealStore } from "../../src/state/create-deal-store.js";
import type { Wait } from "../../src/state/wait.js";
import { DealStoreContext } from "../../src/state/store-context.js";
import { neverSyncedDeal, syncedDeal } from "../fixtures/deal-views.js";
import { createFakeTransport } from "../helpers/create-fake-transport.js";
import type { Reply } from "../helpers/create-fake-transport.js";
import { createManualWait } from "../helpers/create-manual-wait.js";
import { renderInWidget } from "../helpers/render-in-widget.js";

const BACKEND_URL = "https://amo1c.example.com";
const DEAL_ROUTE = "GET /api/v1/deals/4242";
const SYNC_ROUTE = "POST /api/v1/deals/4242/sync";

interface RenderPanelOptions {
  routes: Record<string, Reply>;
  wait?: Wait | undefined;
  lang?: "en" | "ru" | undefined;
}

function renderPanel({ routes, wait, lang }: RenderPanelOptions) {
  const { transport, requests } = createFakeTransport(routes);
  const api = createApiClient({ baseUrl: BACKEND_URL, transport });
  const store = createDealStore({ api, dealId: 4242, wait });
  const view = renderInWidget(
    <DealStoreContext.Provider value={store}>
      <DealPanel />
    </DealStoreContext.Provider>,
    lang,
  );
  void store.load();
  return { ...view, store, requests };
}

function answer(deal: DealView | SyncResponse): TransportResponse {
  return { status: 200, body: deal };
}

describe("DealPanel", () => {
  it("invites to send a deal that was never synced", async () => {
    renderPanel({ routes: { [DEAL_ROUTE]: answer(neverSyncedDeal()) } });

    await screen.findByText("This deal has not been sent to 1C yet.");
    expect(screen.getByRole("button").textContent).toBe("Send to 1C");
    expect(screen.queryByText("Counterparty")).toBeNull();
  });

  it("shows a counterparty made from the deal's company with its order", async () => {
    renderPanel({ routes: { [DEAL_ROUTE]: answer(syncedDeal()) } });

    const name = await screen.findByText("ООО «Ромашка»");
    expect(name.getAttribute("title")).toBe("ООО «Ромашка»");
    expect(screen.getByText(/INN 7701234567/)).toBeTruthy();
    expect(screen.getByText("made from the deal's company")).toBeTruthy();
    expect(screen.getByText("Ирина Петрова")).toBeTruthy();
    expect(screen.getByText("No. УТ-000123 of 12 Mar 2025")).toBeTruthy();
    expect(screen.getByText("RUB 125,000.50")).toBeTruthy();
    expect(screen.getByText("done").dataset.status).toBe("ok");
    expect(screen.getByText(/automatic/)).toBeTruthy();
    expect(screen.getByRole("button").textContent).toBe("Send to 1C again");
  });

  it("links the counterparty and the order into the 1C web client", async () => {
    renderPanel({ routes: { [DEAL_ROUTE]: answer(syncedDeal()) } });

    const links = await screen.findAllByRole("link", { name: "Open in 1C" });
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "https://1c.example.com/ut/#e1cib/data/Catalog.Partners?ref=6f1c",
      "https://1c.example.com/ut/#e1cib/data/Document.Order?ref=6f1c",
    ]);
    expect(links[0]?.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("formats the order in Russian for a Russian-speaking user", async () => {
    renderPanel({ routes: { [DEAL_ROUTE]: answer(syncedDeal()) }, lang: "ru" });

    await screen.findByText("ООО «Ромашка»");
    expect(screen.getByText(/^№ УТ-000123 от 12 мар\.? 2025/)).toBeTruthy();
    expect(screen.getByText(/^125\s000,50\s₽$/)).toBeTruthy();
    expect(screen.getByText("создан из компании сделки")).toBeTruthy();
  });

  it("says when the counterparty was made from the deal's contact", async () => {
    const deal = syncedDeal();
    deal.counterparty = {
      ...deal.counterparty!,
      name: "Петрова Ирина Сергеевна",
      inn: null,
      origin: "contact",
      openUrl: null,
    };
    renderPanel({ routes: { [DEAL_ROUTE]: answer(deal) } });

    await screen.findByText("Петрова Ирина Сергеевна");
    expect(screen.getByText("made from the deal's contact")).toBeTruthy();
    expect(screen.queryByText(/INN/)).toBeNull();
    expect(screen.getAllByRole("link")).toHaveLength(1);
  });

  it("explains a failed run with 1C's own message", async () => {
    const deal = syncedDeal({
      order: null,
      lastRun: {
        at: "2025-03-12T07:15:30Z",
        trigger: "manual",
        status: "failed",
        message:
          '1C refused the customer order: Поле "Соглашение" не заполнено. Choose an agreement in the widget settings.',
        errorSource: "onec",
        errorCode: "onec_business_error",
      },
    });
    renderPanel({ routes: { [DEAL_ROUTE]: answer(deal) } });

    const status = await screen.findByText("failed");
    expect(status.dataset.status).toBe("failed");
    expect(screen.getByText("1C says:", { exact: false })).toBeTruthy();
    expect(screen.getByText(/Поле "Соглашение" не заполнено/).textContent).toBe(
      '1C says: 1C refused the customer order: Поле "Соглашение" не заполнено. Choose an agreement in the widget settings.',
    );
    expect(screen.getByText("No customer order yet.")).toBeTruthy();
  });

  it("shows progress while a run is queued and the new state after it", async () => {
    const manual = createManualWait();
    const replies = [
      syncedDeal({ pending: true }),
      syncedDeal({ pending: true }),
      syncedDeal({
        pending: false,
        order: { ...syncedDeal().order!, number: "УТ-000124" },
      }),
    ];
    renderPanel({
      routes: { [DEAL_ROUTE]: () => answer(replies.shift()!) },
      wait: manual.wait,
    });

    await screen.findByText("In the queue, waiting for the exchange…");
    const button = screen.getByRole("button") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(button.textContent).toBe("Sending to 1C…");

    manual.release();
    await waitFor(() => expect(manual.requested).toHaveLength(2));
    manual.release();

    await screen.findByText(/УТ-000124/);
    expect(manual.requested).toEqual([2000, 2000]);
    expect(
      screen.queryByText("In the queue, waiting for the exchange…"),
    ).toBeNull();
    expect((screen.getByRole("button") as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it("sends the deal again and polls every 2 s while the run is queued", async () => {
    const manual = createManualWait();
    const done = syncedDeal({
      lastRun: { ...syncedDeal().lastRun!, trigger: "manual" },
    });
    const { requests } = renderPanel({
      routes: {
        [DEAL_ROUTE]: answer(done),
        [SYNC_ROUTE]: answer({
          outcome: "queued",
          deal: syncedDeal({ pending: true }),
        }),
      },
      wait: manual.wait,
    });
    fireEvent.click(await screen.findByText("Send to 1C again"));

    await screen.findByText("In the queue, waiting for the exchange…");
    manual.release();

    await screen.findByText(/by hand/);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${BACKEND_URL}/api/v1/deals/4242`,
      `POST ${BACKEND_URL}/api/v1/deals/4242/sync`,
      `GET ${BACKEND_URL}/api/v1/deals/4242`,
    ]);
    expect(manual.requested).toEqual([2000]);
  });

  it("lets the user send again at once while a failed run waits for its retry", async () => {
    const manual = createManualWait();
    const waiting = syncedDeal({
      pending: true,
      lastRun: {
        ...syncedDeal().lastRun!,
        status: "waiting",
        message: "1C is temporarily unavailable (HTTP 503) (amo1c will retry)",
        errorSource: "onec",
        errorCode: "onec_unavailable",
      },
    });
    const done = syncedDeal({
      lastRun: { ...syncedDeal().lastRun!, trigger: "manual" },
    });
    const { requests } = renderPanel({
      routes: {
        [DEAL_ROUTE]: answer(waiting),
        [SYNC_ROUTE]: answer({ outcome: "done", deal: done }),
      },
      wait: manual.wait,
    });

    await screen.findByText("In the queue, waiting for the exchange…");
    const button = screen.getByRole("button") as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe("Send to 1C again");
    fireEvent.click(button);

    await screen.findByText(/by hand/);
    expect(screen.getByText("done").dataset.status).toBe("ok");
    // The poll that was waiting for the retry ends without reading again.
    manual.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests.map((r) => r.method)).toEqual(["GET", "POST"]);
    expect(
      screen.queryByText("In the queue, waiting for the exchange…"),
    ).toBeNull();
  });

  it("says the backend cannot be reached and names its URL", async () => {
    renderPanel({ routes: { [DEAL_ROUTE]: { status: 0, body: null } } });

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "amo1c backend cannot be reached at https://amo1c.example.com: check the backend URL in the widget settings",
    );
  });

  it("asks to reload when amoCRM's one-time token has expired", async () => {
    const body = {
      error: { code: "widget_token_expired", message: "jwt expired" },
    };
    renderPanel({ routes: { [DEAL_ROUTE]: { status: 401, body } } });

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "amoCRM's sign-in token for amo1c has expired: reload the page and try again.",
    );
  });

  it("warns that the amoCRM token expires soon", async () => {
    const deal = syncedDeal({
      connection: {
        state: "expiring",
        mode: "long_lived",
        message: null,
        expiresAt: "2031-05-01T09:00:00Z",
        expiryInstructions: [],
      },
    });
    renderPanel({ routes: { [DEAL_ROUTE]: answer(deal) } });

    const banner = await screen.findByRole("status");
    expect(banner.textContent).toBe(
      "The amoCRM token expires on 1 May 2031. Renew it in the widget settings before then.",
    );
    expect(banner.className).toContain("amo1c-banner--warning");
  });

  it("shows the server's reason when the connection needs attention", async () => {
    const deal = syncedDeal({
      connection: {
        state: "needs_attention",
        mode: "oauth",
        message:
          "amoCRM revoked the refresh token: authorize the integration again.",
        expiresAt: null,
        expiryInstructions: [],
      },
    });
    renderPanel({ routes: { [DEAL_ROUTE]: answer(deal) } });

    const banner = await screen.findByRole("status");
    expect(banner.textContent).toBe(
      "The connection needs attention: amoCRM revoked the refresh token: authorize the integration again.",
    );
    expect(banner.className).toContain("amo1c-banner--error");
  });

  it("shows a name holding markup as text, never as an element", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const deal = syncedDeal();
    deal.counterparty = { ...deal.counterparty!, name: hostile };
    deal.contactPerson = { ref: "c", name: hostile };
    const { container } = renderPanel({
      routes: { [DEAL_ROUTE]: answer(deal) },
    });

    const names = await screen.findAllByText(hostile);
    expect(names).toHaveLength(2);
    expect(container.querySelector("img")).toBeNull();
  });

  it("cuts a long name on one line and keeps the whole name in its title", async () => {
    const long =
      "Общество с ограниченной ответственностью «Торгово-производственная компания Северо-Западного федерального округа»";
    const deal = syncedDeal();
    deal.counterparty = { ...deal.counterparty!, name: long };
    renderPanel({ routes: { [DEAL_ROUTE]: answer(deal) } });

    const name = await screen.findByText(long);
    expect(name.getAttribute("title")).toBe(long);
    expect(name.classList.contains("amo1c-text")).toBe(true);
  });

  it("asks to save a new deal before sending it", () => {
    const { transport, requests } = createFakeTransport({});
    const api = createApiClient({ baseUrl: BACKEND_URL, transport });
    const store = createDealStore({ api, dealId: 0 });
    renderInWidget(
      <DealStoreContext.Provider value={store}>
        <DealPanel />
      </DealStoreContext.Provider>,
    );

    expect(
      screen.getByText("Save the deal first: amo1c sends saved deals only."),
    ).toBeTruthy();
    expect(requests).toHaveLength(0);
  });
});
