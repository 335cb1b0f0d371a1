import type { ExchangeSettings } from "../../../shared/settings.js";
import type { AmocrmApi } from "../amocrm/api-types.js";
import type { Logger } from "../log.js";
import type { OnecGateways } from "../onec/gateway-types.js";
import type { DealStateRepository } from "./deal-state-repository.js";
import type { EntityLinksRepository } from "./entity-links-repository.js";

/** Everything one sync run works with; built once per run. */
export interface SyncContext {
  amocrm: AmocrmApi;
  onec: OnecGateways;
  links: EntityLinksRepository;
  states: DealStateRepository;
  settings: ExchangeSettings;
  /** "https://acme.amocrm.ru": used in order comments that link back. */
  accountUrl: string;
  log: Logger;
  /** What the run read and wrote, in words, for the journal. */
  trail: { reads: string[]; writes: string[] };
}
