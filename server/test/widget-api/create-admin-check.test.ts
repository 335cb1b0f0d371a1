import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";

import type { AmoUser } from "../../src/amocrm/api-types.js";
import { AppError } from "../../src/errors.js";
import {
  ADMIN_CACHE_TTL_MS,
  createAdminCheck,
} from "../../src/widget-api/create-admin-check.js";
import { captureLog } from "../helpers/capture-log.js";
import { signWidgetToken } from "../helpers/sign-widget-token.js";
import {
  AUDIENCE,
  startWidgetApi,
  type WidgetApi,
} from "./start-widget-api.js";

const ADMIN = 501;
const MANAGER = 502;

const USERS: AmoUser[] = [
  { id: ADMIN, name: "Анна", isAdmin: true, isActive: true },
  { id: MANAGER, name: "Борис", isAdmin: false, isActive: true },
  { id: 503, name: "Вера", isAdmin: true, isActive: false },
];

/** amoCRM's users API as amo1c's client returns it, counted; it can fail. */
function fakeUsersApi() {
  const api = {
    calls: 0,
    failure: null as Error | null,
    async listUsers(): Promise<AmoUser[]> {
      api.calls += 1;
      if (api.failure) throw api.failure;
      return USERS;
    },
  };
  return api;
}

const outage = () =>
  new AppError("amocrm_unavailable", "amoCRM answered 502", { status: 502 });

describe("settings routes behind the admin check", () => {
  let users: ReturnType<typeof fakeUsersApi>;
  let clock: number;
  let api: WidgetApi;

  beforeAll(async () => {
    users = fakeUsersApi();
    api = await startWidgetApi(
      createAdminCheck({
        listUsers: () => users.listUsers(),
        log: captureLog().log,
        now: () => clock,
      }),
    );
  });
  afterAll(() => api?.close());
  beforeEach(() => {
    // Each test starts past the previous one's cache.
    clock = (clock ?? 0) + ADMIN_CACHE_TTL_MS + 1;
    users.calls = 0;
    users.failure = null;
  });

  function call(method: string, path: string, userId: number, admin = true) {
    return fetch(`${api.baseUrl}/api/v1/settings${path}`, {
      method,
      headers: {
        "x-auth-token": signWidgetToken(AUDIENCE, { userId, isAdmin: admin }),
        "content-type": "application/json",
      },
      ...(method === "PUT" ? { body: "{}" } : {}),
    });
  }

  async function errorOf(res: Response) {
    return ((await res.json()) as { error: { code: string; message: string } })
      .error;
  }

  test.each([
    ["GET", ""],
    ["PUT", ""],
    ["POST", "/check"],
  ])("refuses %s /settings%s to a user who is not an admin", async (m, p) => {
    const res = await call(m, p, MANAGER, false);

    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("widget_admin_required");
    expect(api.checks()).toBe(0);
  });

  test("refuses a token claiming is_admin for a user amoCRM lists as not admin", async () => {
    const res = await call("GET", "", MANAGER, true);

    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("widget_admin_required");
    expect(users.calls).toBe(1);
  });

  test("refuses an admin amoCRM lists as deactivated", async () => {
    expect((await call("GET", "", 503, true)).status).toBe(403);
  });

  test("lets an admin amoCRM confirms read the settings and run the Check", async () => {
    expect((await call("GET", "", ADMIN)).status).toBe(200);
    const check = await call("POST", "/check", ADMIN);

    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ ok: true });
  });

  test("asks amoCRM once within the cache time, again after it", async () => {
    expect((await call("GET", "", ADMIN)).status).toBe(200);
    clock += ADMIN_CACHE_TTL_MS - 1;
    expect((await call("GET", "", ADMIN)).status).toBe(200);
    expect(users.calls).toBe(1);

    clock += 2;
    expect((await call("GET", "", ADMIN)).status).toBe(200);
    expect(users.calls).toBe(2);
  });

  test("answers 503 when amoCRM is connected but its users API fails", async () => {
    users.failure = outage();

    const res = await call("GET", "", ADMIN);

    expect(res.status).toBe(503);
    expect(await errorOf(res)).toEqual({
      code: "amocrm_unavailable",
      message:
        "amoCRM could not confirm your administrator rights just now; try again in a minute",
    });
  });
});

describe("createAdminCheck", () => {
  test("refuses a user without the claim without asking amoCRM", async () => {
    const users = fakeUsersApi();
    const isAdmin = createAdminCheck({
      listUsers: () => users.listUsers(),
      log: captureLog().log,
    });

    await expect(isAdmin(ADMIN, false)).resolves.toBe(false);
    expect(users.calls).toBe(0);
  });

  test("trusts the signed claim while amo1c is not connected to amoCRM", async () => {
    const users = fakeUsersApi();
    users.failure = new AppError("amocrm_not_configured", "not set up");
    const isAdmin = createAdminCheck({
      listUsers: () => users.listUsers(),
      log: captureLog().log,
    });

    await expect(isAdmin(MANAGER, true)).resolves.toBe(true);
  });

  test("does not cache a failure: the next call asks amoCRM again", async () => {
    const users = fakeUsersApi();
    users.failure = outage();
    const isAdmin = createAdminCheck({
      listUsers: () => users.listUsers(),
      log: captureLog().log,
    });

    await expect(isAdmin(ADMIN, true)).rejects.toMatchObject({
      code: "amocrm_unavailable",
      status: 503,
    });
    users.failure = null;
    await expect(isAdmin(ADMIN, true)).resolves.toBe(true);
    expect(users.calls).toBe(2);
  });

  test("shares one users request between concurrent calls", async () => {
    const users = fakeUsersApi();
    const isAdmin = createAdminCheck({
      listUsers: () => users.listUsers(),
      log: captureLog().log,
    });

    await Promise.all([isAdmin(ADMIN, true), isAdmin(MANAGER, true)]);
    expect(users.calls).toBe(1);
  });
});
