import type { OnecSettings } from "../../../../shared/settings.js";
import {
  startOnecEmulator,
  type OnecEmulator,
  type OnecEmulatorOptions,
} from "../../../../scripts/emulators/onec/start-onec-emulator.js";
import {
  createOdataClient,
  type OdataClient,
} from "../../../src/onec/create-odata-client.js";
import type { Logger } from "../../../src/log.js";

export type { OnecEmulator };

export const ONEC_USER = "Администратор";
export const ONEC_PASSWORD = "secret";

/** Seeded objects of the emulator's bases that the tests rely on. */
export const SEEDS = {
  ut11: {
    organization: "6c1e7a10-3f2b-11ee-8d4a-0050569f1a01",
    agreement: "3a7c9e40-3f2b-11ee-8d4a-0050569f1a01",
    warehouse: "2e4b5d30-3f2b-11ee-8d4a-0050569f1a01",
    currency: "1d0a3c20-3f2b-11ee-8d4a-0050569f1a01",
    /** Доставка, a service */
    dealItem: "8fc14d91-3f2b-11ee-8d4a-0050569f1a01",
    /** 20% */
    vatRate: "90d25ea0-3f2b-11ee-8d4a-0050569f1a01",
    /** ЯНДЕКС ООО, owned by partner Яндекс, buh@yandex-team.example */
    counterpartyWithEmail: "6daf2b47-3f2b-11ee-8d4a-0050569f1a01",
    email: "buh@yandex-team.example",
    /** Сбербанк ПАО, +7 495 500-55-50 */
    counterpartyWithPhone: "6daf2b46-3f2b-11ee-8d4a-0050569f1a01",
    folder: null,
  },
  bp30: {
    organization: "b2f47fc0-3f2b-11ee-8d4a-0050569f1b01",
    agreement: "",
    warehouse: "",
    currency: "c3058ad0-3f2b-11ee-8d4a-0050569f1b01",
    /** Бумага офисная А4 */
    dealItem: "07490e20-3f2c-11ee-8d4a-0050569f1b01",
    vatRate: "",
    counterpartyWithEmail: null,
    email: null,
    counterpartyWithPhone: "e527ac01-3f2b-11ee-8d4a-0050569f1b01",
    /** The folder "Покупатели" of the hierarchical catalog */
    folder: "e527ac00-3f2b-11ee-8d4a-0050569f1b01",
  },
} as const;

export type BaseName = keyof typeof SEEDS;

export function startTestOnec(
  options: OnecEmulatorOptions = {},
): Promise<OnecEmulator> {
  return startOnecEmulator({ port: 0, ...options });
}

/**
 * Settings pointing at one emulator base with its seeded defaults,
 * including the item that carries a deal's sum.
 */
export function settingsFor(
  emulator: OnecEmulator,
  base: BaseName,
  overrides: Partial<OnecSettings> = {},
): OnecSettings {
  const seed = SEEDS[base];
  return {
    odataUrl: emulator.odataUrl(base),
    user: ONEC_USER,
    profile: base,
    timeZone: "Europe/Moscow",
    organizationRef: seed.organization,
    agreementRef: seed.agreement,
    warehouseRef: seed.warehouse,
    currencyRef: seed.currency,
    dealItemRef: seed.dealItem,
    vatRateRef: seed.vatRate,
    businessOperation: "РеализацияКлиенту",
    webClientUrl: "",
    ...overrides,
  };
}

export interface TestClientOptions {
  log: Logger;
  odataUrl?: string | undefined;
  password?: string | undefined;
  timeoutMs?: number | undefined;
}

/** A client with short timeouts and retry delays, so failures stay fast. */
export function createTestClient(
  emulator: OnecEmulator,
  base: BaseName,
  options: TestClientOptions,
): OdataClient {
  return createOdataClient({
    odataUrl: options.odataUrl ?? emulator.odataUrl(base),
    user: ONEC_USER,
    password: options.password ?? ONEC_PASSWORD,
    log: options.log,
    timeoutMs: options.timeoutMs ?? 2_000,
    retries: 3,
    retryMinDelayMs: 5,
  });
}

/** Requests the emulator received for one method, optionally one set. */
export function countRequests(
  emulator: OnecEmulator,
  method: string,
  entitySet?: string,
): number {
  return emulator
    .requests()
    .filter(
      (r) =>
        r.method === method &&
        (entitySet === undefined || r.path.includes(`/${entitySet}`)),
    ).length;
}
