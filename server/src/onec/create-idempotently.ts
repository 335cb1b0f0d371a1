import { randomUUID } from "node:crypto";

import { AppError, isAppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { OdataClient, OdataEntity } from "./create-odata-client.js";
import { ONEC_KEY_EXISTS_CODE } from "./map-onec-error.js";
import type { PendingCreates } from "./pending-creates.js";
import { isLive } from "./read-onec-value.js";

export interface CreateIdempotentlyOptions {
  client: OdataClient;
  pendingCreates: PendingCreates;
  log: Logger;
  entitySet: string;
  /** The caller's idempotency key: the same purpose never makes two objects. */
  purpose: string;
  body: OdataEntity;
  /**
   * Keep the stored key after success (default false): for a step whose
   * caller has more steps to finish before the whole create counts as done.
   */
  keepPending?: boolean | undefined;
}

/**
 * POSTs an object with a Ref_Key amo1c chose and stored beforehand. After a
 * timeout or on a later run the key is read first; a "key already exists"
 * answer means the earlier attempt got through (reference onec §1.6, §7.3).
 * An earlier object a 1C user has since marked for deletion does not count:
 * reads exclude such objects, so a new one is made under a new key.
 */
export async function createIdempotently(
  options: CreateIdempotentlyOptions,
): Promise<OdataEntity> {
  const { client, entitySet, purpose } = options;
  const claim = await options.pendingCreates.claim(
    purpose,
    entitySet,
    randomUUID(),
  );
  let refKey = claim.refKey;
  let mayExist = claim.earlier;

  const created = await client.retry(async () => {
    if (mayExist) {
      const found = await readByKey(client, entitySet, refKey);
      if (isLive(found)) return found;
      if (found) refKey = await startAfresh(options, refKey);
    }
    // From here on 1C may have received the object even if we hear nothing.
    mayExist = true;
    return postOrReadBack(options, refKey);
  }, `create ${entitySet}`);

  if (!options.keepPending) await options.pendingCreates.release(purpose);
  options.log.info({ entitySet, ref: refKey, purpose }, "1C object created");
  return created;
}

/** Stores a new key for the purpose in place of a deleted object's one. */
async function startAfresh(
  { pendingCreates, log, entitySet, purpose }: CreateIdempotentlyOptions,
  deletedRef: string,
): Promise<string> {
  log.warn(
    { entitySet, ref: deletedRef, purpose },
    "1C object of an earlier attempt is marked for deletion; creating anew",
  );
  await pendingCreates.release(purpose);
  const claim = await pendingCreates.claim(purpose, entitySet, randomUUID());
  return claim.refKey;
}

async function postOrReadBack(
  { client, entitySet, body }: CreateIdempotentlyOptions,
  refKey: string,
): Promise<OdataEntity> {
  try {
    return await client.create(entitySet, { Ref_Key: refKey, ...body });
  } catch (error) {
    if (!isAppError(error) || error.remote?.code !== ONEC_KEY_EXISTS_CODE) {
      throw error;
    }
    const found = await readByKey(client, entitySet, refKey);
    if (isLive(found)) return found;
    throw new AppError(
      "onec_bad_response",
      `1C says ${entitySet} ${refKey} already exists but does not return it${found ? " (it is marked for deletion)" : ""}`,
      { status: 502, source: "onec", cause: error, remote: error.remote },
    );
  }
}

function readByKey(
  client: OdataClient,
  entitySet: string,
  refKey: string,
): Promise<OdataEntity | null> {
  // The surrounding retry loop already repeats this read.
  return client.get(entitySet, refKey, {}, { retry: false });
}

export interface FindEarlierCreateOptions {
  client: OdataClient;
  pendingCreates: PendingCreates;
  purpose: string;
}

/**
 * The object an earlier attempt for this purpose created, when 1C has it:
 * lets a multi-step create skip steps whose outcome is already there.
 */
export async function findEarlierCreate(
  options: FindEarlierCreateOptions,
): Promise<OdataEntity | null> {
  const pending = await options.pendingCreates.find(options.purpose);
  if (!pending) return null;
  const row = await options.client.get(pending.entitySet, pending.refKey);
  return isLive(row) ? row : null;
}
