import type {
  OnecProfileName,
  OnecSettings,
} from "../../../shared/settings.js";
import type { Logger } from "../log.js";
import type { OdataClient } from "./create-odata-client.js";
import { createPublicationGuard } from "./create-publication-guard.js";
import type { OnecGateways } from "./gateway-types.js";
import { createContactPersonGateway } from "./gateways/contact-persons.js";
import { createCounterpartyGateway } from "./gateways/counterparties.js";
import { createOrderGateway } from "./gateways/orders.js";
import type { PendingCreates } from "./pending-creates.js";
import { getOnecProfile } from "./profiles/get-onec-profile.js";
import type { OnecProfile } from "./profiles/types.js";
import { createContactKindResolver } from "./resolve-contact-kinds.js";

export interface CreateOnecGatewaysOptions {
  client: OdataClient;
  /** The profile or its name (settings.profile). */
  profile: OnecProfile | OnecProfileName;
  settings: OnecSettings;
  pendingCreates: PendingCreates;
  log: Logger;
  /** Clock for document dates; tests pass a fixed one. */
  now?: (() => Date) | undefined;
}

/** Counterparty, contact person and order access for one 1C base. */
export function createOnecGateways(
  options: CreateOnecGatewaysOptions,
): OnecGateways {
  const profile =
    typeof options.profile === "string"
      ? getOnecProfile(options.profile)
      : options.profile;
  const ctx = {
    client: options.client,
    profile,
    settings: options.settings,
    pendingCreates: options.pendingCreates,
    log: options.log.child({ name: "onec", profile: profile.name }),
    now: options.now ?? (() => new Date()),
    publication: createPublicationGuard(
      options.client,
      profile,
      options.settings,
    ),
    contactKinds: createContactKindResolver(options.client, profile),
  };

  return {
    profile: profile.name,
    ...createCounterpartyGateway(ctx),
    ...createContactPersonGateway(ctx),
    ...createOrderGateway(ctx),
  };
}
