import type { DisposableTokenOptions } from "./sign-disposable-token.js";
import type {
  AmocrmSeed,
  AmocrmState,
  FaultSpec,
  LeadContactRef,
  RequestLogEntry,
  WebhookDelivery,
} from "./types.js";

export interface AmocrmEmulatorOptions {
  /** 0 = a free port (default). */
  port?: number | undefined;
  /** Default: the bundled seed.json. */
  seed?: AmocrmSeed | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Token requests must send exactly this redirect_uri. */
  redirectUri?: string | undefined;
  /** Default 7; 0 disables the limit. */
  rateLimitPerSecond?: number | undefined;
  /** Added before every /api/v4 and /oauth2 answer. */
  latencyMs?: number | undefined;
  /** Injectable clock in ms; the admin clock offset adds to it. */
  now?: (() => number) | undefined;
}

export interface AmocrmEmulator {
  /** "http://127.0.0.1:<port>"; amo1c sends every amoCRM request here in tests. */
  url: string;
  /** The account host, e.g. "acme.amocrm.ru". */
  host: string;
  accountId: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  stop(): Promise<void>;

  issueAuthCode(): string;
  issueLongLivedToken(expiresAt: Date): string;
  revokeToken(token: string): void;
  expireAccessTokens(): void;
  expireRefreshTokens(): void;
  signDisposableToken(opts: DisposableTokenOptions): string;
  advanceClock(ms: number): void;
  setLatency(ms: number): void;
  setRateLimit(perSecond: number): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  updateLead(
    id: number,
    patch: {
      name?: string;
      price?: number;
      /** Extension: moves the lead to another stage (sends status_lead). */
      statusId?: number;
      contacts?: LeadContactRef[];
      companyId?: number | null;
      deleted?: boolean;
    },
  ): void;
  createContact(c: {
    name: string;
    first_name?: string;
    last_name?: string;
    phone?: string;
    email?: string;
  }): number;
  updateContact(
    id: number,
    patch: { name?: string; phone?: string; email?: string; deleted?: boolean },
  ): void;
  createCompany(c: {
    name: string;
    inn?: string;
    kpp?: string;
    phone?: string;
    email?: string;
  }): number;
  /** Extension: PATCH /__admin/companies/:id; sends update_company. */
  updateCompany(
    id: number,
    patch: {
      name?: string;
      inn?: string;
      kpp?: string;
      phone?: string;
      email?: string;
      deleted?: boolean;
    },
  ): void;
  createLead(l: {
    name: string;
    price?: number;
    contacts?: LeadContactRef[];
    companyId?: number;
  }): number;
  subscribeWebhook(destination: string, settings?: string[]): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  state(): AmocrmState;
  reset(seed?: AmocrmSeed): void;
  webhookDeliveries(): WebhookDelivery[];
}
