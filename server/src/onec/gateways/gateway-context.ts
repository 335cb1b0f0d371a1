import { AppError } from "../../errors.js";
import type { OnecSettings } from "../../../../shared/settings.js";
import type { Logger } from "../../log.js";
import type { CounterpartyRecord } from "../gateway-types.js";
import type { OdataClient } from "../create-odata-client.js";
import type { PublicationGuard } from "../create-publication-guard.js";
import type { PendingCreates } from "../pending-creates.js";
import type { OnecProfile } from "../profiles/types.js";
import type { ContactKindResolver } from "../resolve-contact-kinds.js";

/** What every gateway of one 1C base shares. */
export interface GatewayContext {
  client: OdataClient;
  profile: OnecProfile;
  settings: OnecSettings;
  pendingCreates: PendingCreates;
  log: Logger;
  now: () => Date;
  publication: PublicationGuard;
  contactKinds: ContactKindResolver;
}

export { isLive } from "../read-onec-value.js";

/** The UT 11 partner of a counterparty; contact persons and orders need it. */
export function requirePartnerRef(owner: CounterpartyRecord): string {
  if (owner.partnerRef) return owner.partnerRef;
  throw new AppError(
    "onec_business_error",
    `Counterparty "${owner.name}" has no partner in 1C: set its partner in 1C, then sync again`,
    { status: 422, source: "onec" },
  );
}
