import { afterEach, beforeEach, describe, expect, test } from "vitest";

import type { AmocrmApi } from "../../src/amocrm/api-types.js";
import { AppError } from "../../src/errors.js";
import { createSyncJobHandler } from "../../src/exchange/create-sync-job-handler.js";
import { createDealStateRepository } from "../../src/exchange/deal-state-repository.js";
import { createEntityLinksRepository } from "../../src/exchange/entity-links-repository.js";
import { createJournalRepository } from "../../src/exchange/journal-repository.js";
import type { OnecGateways } from "../../src/onec/gateway-types.js";
import type { SyncJob } from "../../src/queue/job-queue.js";
import { createSettingsStore } from "../../src/storage/settings-store.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";

const MAX_ATTEMPTS = 3;

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(async () => db.dispose());

/** A handler whose amoCRM read of the deal throws the given error. */
function handlerFailingWith(error: unknown) {
  const amocrm = {
    getLead: () => Promise.reject(error),
  } as unknown as AmocrmApi;
  const states = createDealStateRepository(db.db);
  const journal = createJournalRepository(db.db);
  const handler = createSyncJobHandler({
    amocrm,
    getOnecGateways: () => Promise.resolve({} as OnecGateways),
    settings: createSettingsStore(db.db),
    states,
    links: createEntityLinksRepository(db.db),
    journal,
    log: captureLog("fatal").log,
    maxAttempts: MAX_ATTEMPTS,
  });
  return { handler, states, journal };
}

function job(attempt: number): SyncJob {
  return { id: `j${attempt}`, dealId: 42, trigger: "webhook", attempt };
}

describe("an error nobody classified (a busy database, a lost connection)", () => {
  const busy = new Error("SQLITE_BUSY: database is locked");

  test("is retried with backoff and shown as waiting", async () => {
    const { handler, states } = handlerFailingWith(busy);

    expect(await handler(job(1))).toMatchObject({ kind: "retry" });
    expect(await states.get(42)).toMatchObject({
      last_status: "waiting",
      last_error_code: "internal_error",
      last_message: expect.stringContaining("SQLITE_BUSY"),
    });
  });

  test("fails visibly once the retries are used up", async () => {
    const { handler, states } = handlerFailingWith(busy);

    expect(await handler(job(MAX_ATTEMPTS))).toMatchObject({ kind: "fail" });
    expect(await states.get(42)).toMatchObject({ last_status: "failed" });
  });
});

describe("the trigger of a run", () => {
  test("is the original one on the first attempt and retry afterwards", async () => {
    const unavailable = new AppError("onec_unavailable", "1C answered 503", {
      source: "onec",
      retryable: true,
    });
    const { handler, states, journal } = handlerFailingWith(unavailable);

    await handler(job(1));
    expect(await states.get(42)).toMatchObject({ last_trigger: "webhook" });
    await handler(job(2));
    expect(await states.get(42)).toMatchObject({ last_trigger: "retry" });

    const triggers = (await journal.listForDeal(42)).map((e) => e.trigger);
    expect([...triggers].sort()).toEqual(["retry", "webhook"]);
  });
});

describe("a 1C business refusal", () => {
  test("stops at once and keeps 1C's source, code and own message", async () => {
    const text = "Не заполнено поле «Соглашение» ".repeat(20).trim();
    const refusal = new AppError(
      "onec_business_error",
      "1C refused to save Document_ЗаказКлиента",
      {
        source: "onec",
        status: 502,
        remote: { status: 500, code: "-1", message: text },
      },
    );
    const { handler, states, journal } = handlerFailingWith(refusal);

    expect(await handler(job(1))).toMatchObject({ kind: "fail" });
    const state = await states.get(42);
    expect(state).toMatchObject({
      last_status: "failed",
      last_error_source: "onec",
      last_error_code: "onec_business_error",
    });
    expect(state?.last_message).toContain("Document_ЗаказКлиента");
    expect(state?.last_message).toContain(text);
    expect(state?.last_message).toContain("code -1");

    const [entry] = await journal.listForDeal(42);
    expect(entry?.error).toMatchObject({
      source: "onec",
      code: "onec_business_error",
      message: state?.last_message,
    });
  });
});
