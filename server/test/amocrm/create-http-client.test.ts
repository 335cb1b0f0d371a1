import { inspect } from "node:util";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { onRequest } from "../../src/observability/request-counter.js";
import {
  connectWithCode,
  requestLines,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

let emulator: AmocrmEmulator;
let test: TestConnection;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
  test = await startTestConnection({ emulator });
  await connectWithCode(test, emulator);
  emulator.clearRequests();
});

afterAll(async () => {
  await test.close();
  await emulator.stop();
});

afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

describe("createHttpClient", () => {
  it("retries a 429 with backoff and then succeeds", async () => {
    emulator.injectFault({ kind: "status429", count: 2 });

    await expect(test.connection.api.getAccount()).resolves.toMatchObject({
      id: emulator.accountId,
    });
    expect(requestLines(emulator)).toEqual([
      "GET /api/v4/account 429",
      "GET /api/v4/account 429",
      "GET /api/v4/account 200",
    ]);
  });

  it("gives a readable, retryable error after a 429 storm", async () => {
    emulator.injectFault({ kind: "status429", count: 1000 });

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => test.connection.api.getLead(1100001)),
    );

    for (const result of results) {
      expect(result).toMatchObject({
        status: "rejected",
        reason: {
          code: "amocrm_rate_limited",
          status: 503,
          source: "amocrm",
          retryable: true,
          remote: {
            status: 429,
            message:
              "HTTP 429: 429 Too Many Requests 429 Too Many Requests nginx",
          },
        },
      });
    }
    const [first] = results;
    expect(first?.status === "rejected" && first.reason.message).toMatch(
      /^amoCRM refused GET \/api\/v4\/leads\/1100001: HTTP 429: .* amoCRM received more requests than it allows/,
    );
    // 1 attempt + 3 retries each.
    expect(emulator.requests()).toHaveLength(20);
  });

  it("turns an HTML 403 into a blocked error without retrying", async () => {
    emulator.injectFault({ kind: "html403", count: 1 });

    await expect(test.connection.api.getAccount()).rejects.toMatchObject({
      code: "amocrm_blocked",
      retryable: false,
      remote: {
        status: 403,
        message: "HTTP 403: 403 Forbidden 403 Forbidden nginx",
      },
      cause: {
        name: "AmocrmHttpFailure",
        method: "GET",
        url: `${emulator.url}/api/v4/account`,
        status: 403,
        bodyExcerpt: "403 Forbidden 403 Forbidden nginx",
        requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
      },
    });
    expect(requestLines(emulator)).toEqual(["GET /api/v4/account 403"]);
  });

  it("retries a read after a dropped connection", async () => {
    emulator.injectFault({ kind: "network_close", count: 1 });

    await expect(test.connection.api.getLead(1100001)).resolves.toMatchObject({
      id: 1100001,
    });
    expect(requestLines(emulator)).toEqual([
      "GET /api/v4/leads/1100001 0",
      "GET /api/v4/leads/1100001 200",
    ]);
  });

  it("does not repeat a write after a dropped connection", async () => {
    emulator.injectFault({ kind: "network_close", count: 1 });

    await expect(
      test.connection.api.createCompany({
        name: "ООО «Обрыв»",
        textFields: {},
      }),
    ).rejects.toMatchObject({
      code: "amocrm_unavailable",
      retryable: true,
      remote: { status: 0, message: "no answer: ECONNRESET" },
    });
    expect(requestLines(emulator)).toEqual(["POST /api/v4/companies 0"]);
  });

  it("retries a 500 on a read but not on a create", async () => {
    emulator.injectFault({ kind: "status500", count: 1 });
    await expect(test.connection.api.getAccount()).resolves.toBeDefined();

    emulator.injectFault({ kind: "status500", count: 1 });
    await expect(
      test.connection.api.addLeadNote(1100001, "Текст"),
    ).rejects.toMatchObject({
      code: "amocrm_unavailable",
      remote: {
        status: 500,
        message: "500 Internal Server Error (An unknown error occurred.)",
      },
    });
    expect(requestLines(emulator)).toEqual([
      "GET /api/v4/account 500",
      "GET /api/v4/account 200",
      "POST /api/v4/leads/1100001/notes 500",
    ]);
  });

  it("counts every request sent, retries included", async () => {
    const outcomes: string[] = [];
    const stop = onRequest((side, outcome) => {
      if (side === "amocrm") outcomes.push(outcome);
    });
    emulator.injectFault({ kind: "status429", count: 1 });

    await test.connection.api.getAccount();
    stop();

    expect(outcomes).toEqual(["rate_limited", "ok"]);
  });

  it("keeps tokens out of errors", async () => {
    const { accessToken } = await test.connection.store.read();
    emulator.injectFault({ kind: "html403", count: 1 });

    const error: unknown = await test.connection.api
      .getAccount()
      .catch((e: unknown) => e);

    expect(inspect(error, { depth: 10 })).not.toContain(accessToken);
    expect(JSON.stringify(error)).not.toContain(accessToken);
  });
});
