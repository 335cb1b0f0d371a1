import { generateKeyPairSync } from "node:crypto";

import type { RateLimiter } from "./rate-limit.js";
import { createRateLimiter } from "./rate-limit.js";
import { createState } from "./state.js";
import type { TokenRegistry } from "./token-registry.js";
import { createTokenRegistry } from "./token-registry.js";
import type {
  AmocrmSeed,
  AmocrmState,
  FaultSpec,
  RequestLogEntry,
  WebhookDelivery,
} from "./types.js";

export interface EmulatorConfig {
  latencyMs: number;
  rateLimitPerSecond: number;
}

export interface ActiveFault {
  kind: FaultSpec["kind"];
  remaining: number;
  pathPrefix: string;
}

/** Everything the route handlers share; one per running emulator. */
export interface EmulatorContext {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Account host, e.g. acme.amocrm.ru. */
  host: string;
  accountId: number;
  config: EmulatorConfig;
  state: AmocrmState;
  tokens: TokenRegistry;
  rateLimiter: RateLimiter;
  faults: ActiveFault[];
  requestLog: RequestLogEntry[];
  deliveries: WebhookDelivery[];
  /** Milliseconds since the epoch, including the admin clock offset. */
  now(): number;
  nowSec(): number;
  advanceClock(ms: number): void;
  privateKey: string;
  /** Timers of pending webhook retries, cleared on stop. */
  timers: Set<NodeJS.Timeout>;
  /** Deliveries in flight, awaited on stop. */
  pendingDeliveries: Set<Promise<void>>;
  /** Set once the emulator is stopping: no more deliveries. */
  stopped: boolean;
}

export interface CreateContextOptions {
  seed: AmocrmSeed;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  config: EmulatorConfig;
  now: () => number;
}

// A long-running emulator (the demo) keeps only the latest entries.
const MAX_LOG_ENTRIES = 10_000;

/** Appends to a bounded log, dropping the oldest entries. */
export function appendBounded<T>(log: T[], entry: T): void {
  log.push(entry);
  if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
}

let cachedPrivateKey: string | null = null;

// One RSA key per process is enough: nobody outside can verify amo's
// signature anyway (reference §1.5), and key generation costs ~100 ms.
function getPrivateKey(): string {
  if (cachedPrivateKey === null) {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    cachedPrivateKey = privateKey;
  }
  return cachedPrivateKey;
}

export function createContext(options: CreateContextOptions): EmulatorContext {
  let offsetMs = 0;
  const now = (): number => options.now() + offsetMs;
  const { account } = options.seed;

  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    host: `${account.subdomain}.${account.tld}`,
    accountId: account.id,
    config: options.config,
    state: createState(options.seed, Math.floor(now() / 1000)),
    tokens: createTokenRegistry(),
    rateLimiter: createRateLimiter(),
    faults: [],
    requestLog: [],
    deliveries: [],
    now,
    nowSec: () => Math.floor(now() / 1000),
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    privateKey: getPrivateKey(),
    timers: new Set(),
    pendingDeliveries: new Set(),
    stopped: false,
  };
}
