import type { OnecSettings } from "../../../../shared/settings.js";
import type { Logger } from "../../../src/log.js";
import type { OdataClient } from "../../../src/onec/create-odata-client.js";
import { createOnecGateways } from "../../../src/onec/create-onec-gateways.js";
import type { OnecGateways } from "../../../src/onec/gateway-types.js";
import { createPendingCreates } from "../../../src/onec/pending-creates.js";
import type { OnecProfile } from "../../../src/onec/profiles/types.js";
import type { TempDatabase } from "../../helpers/temp-database.js";
import {
  createTestClient,
  settingsFor,
  type BaseName,
  type OnecEmulator,
} from "./start-test-onec.js";

/** 12:15 in Moscow. */
export const FIXED_NOW = new Date("2026-03-01T09:15:00Z");

export interface TestGatewaysOptions {
  emulator: OnecEmulator;
  base: BaseName;
  database: TempDatabase;
  log: Logger;
  client?: OdataClient | undefined;
  profile?: OnecProfile | undefined;
  settings?: Partial<OnecSettings> | undefined;
  timeoutMs?: number | undefined;
}

export function createTestGateways(options: TestGatewaysOptions): OnecGateways {
  const { emulator, base, log } = options;
  const client =
    options.client ??
    createTestClient(emulator, base, { log, timeoutMs: options.timeoutMs });
  return createOnecGateways({
    client,
    profile: options.profile ?? base,
    settings: settingsFor(emulator, base, options.settings),
    pendingCreates: createPendingCreates(options.database.db),
    log,
    now: () => FIXED_NOW,
  });
}
