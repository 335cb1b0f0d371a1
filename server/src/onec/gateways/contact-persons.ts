import type {
  ContactPersonRecord,
  CounterpartyRecord,
  NewContactPerson,
  OnecGateways,
} from "../gateway-types.js";
import { buildContactInfoRows } from "../build-contact-info-rows.js";
import { and, eq } from "../build-odata-filter.js";
import type { OdataEntity } from "../create-odata-client.js";
import { createIdempotently } from "../create-idempotently.js";
import { cast, guid } from "../format-odata-literal.js";
import type { ContactPersonProfile } from "../profiles/types.js";
import { readOnecRef, readOnecString } from "../read-onec-value.js";
import {
  searchByEmail,
  searchByPhone,
  type ObjectSearch,
} from "./find-by-contact-info.js";
import {
  isLive,
  requirePartnerRef,
  type GatewayContext,
} from "./gateway-context.js";
import { resolveContactInfoKinds } from "./resolve-contact-info-kinds.js";

/** Contact persons of one owner read when amo1c filters the answer. */
const CANDIDATE_LIMIT = 50;

type ContactPersonGateway = Pick<
  OnecGateways,
  "findContactPersonByRef" | "findContactPerson" | "createContactPerson"
>;

export function createContactPersonGateway(
  ctx: GatewayContext,
): ContactPersonGateway {
  const spec = ctx.profile.contactPerson;
  const layout = ctx.profile.contactInfo;
  const select = [
    "Ref_Key",
    "DeletionMark",
    spec.fields.name,
    spec.owner.field,
  ];
  const toRecord = (row: OdataEntity) => toContactPersonRecord(row, spec);

  async function findWithin(
    owner: CounterpartyRecord,
    search: ObjectSearch | null,
  ): Promise<ContactPersonRecord | null> {
    if (!search) return null;
    const rows = await ctx.client.list(spec.entitySet, {
      filter: and(
        eq("DeletionMark", false),
        ownerCondition(spec, owner),
        search.filter,
      ),
      select: [...select, ...(search.select ?? [])],
      top: search.accept ? CANDIDATE_LIMIT : 1,
    });
    const row = search.accept ? rows.find(search.accept) : rows[0];
    return row ? toRecord(row) : null;
  }

  return {
    async findContactPersonByRef(ref) {
      const row = await ctx.client.get(spec.entitySet, ref, { select });
      return isLive(row) ? toRecord(row) : null;
    },

    async findContactPerson(owner, query) {
      const name = query.name.trim();
      const byName = name ? { filter: eq(spec.fields.name, name) } : null;
      return (
        (await findWithin(
          owner,
          query.email ? searchByEmail(layout, query.email) : null,
        )) ??
        (await findWithin(
          owner,
          query.phone ? searchByPhone(layout, query.phone) : null,
        )) ??
        (await findWithin(owner, byName))
      );
    },

    async createContactPerson(input) {
      await ctx.publication.assertWritable(spec.entitySet);
      const row = await createIdempotently({
        ...ctx,
        entitySet: spec.entitySet,
        purpose: input.purpose,
        body: await newContactPersonBody(ctx, input),
      });
      return toRecord(row);
    },
  };
}

async function newContactPersonBody(
  ctx: GatewayContext,
  input: NewContactPerson,
): Promise<OdataEntity> {
  const spec = ctx.profile.contactPerson;
  const kinds = await resolveContactInfoKinds(ctx, spec.contactKinds, input);
  const rows = buildContactInfoRows(ctx.profile.contactInfo, input, kinds);
  return {
    // BP 3.0 contact persons get Description only: amoCRM names have no
    // fixed order, so Фамилия, Имя and Отчество cannot be told apart.
    [spec.fields.name]: input.name.trim(),
    ...ownerFields(spec, input.owner),
    ...spec.constants,
    ...(rows.length > 0 ? { [ctx.profile.contactInfo.section]: rows } : {}),
  };
}

/**
 * UT 11 subordinates contact persons to the partner (Owner_Key); BP 3.0
 * writes a composite ОбъектВладелец with its type (reference onec §2.4).
 */
function ownerFields(
  spec: ContactPersonProfile,
  owner: CounterpartyRecord,
): OdataEntity {
  if (spec.owner.of === "partner") {
    return { [spec.owner.field]: requirePartnerRef(owner) };
  }
  return {
    [spec.owner.field]: owner.ref,
    [spec.owner.typeField]: spec.owner.typeName,
  };
}

/**
 * A plain `eq guid'…'` on a composite field always finds nothing in 1C;
 * it must be compared with cast(guid'…','Catalog_X') (reference onec §1.5).
 */
function ownerCondition(
  spec: ContactPersonProfile,
  owner: CounterpartyRecord,
): string {
  if (spec.owner.of === "partner") {
    return eq(spec.owner.field, guid(requirePartnerRef(owner)));
  }
  return eq(spec.owner.field, cast(owner.ref, spec.owner.entitySet));
}

function toContactPersonRecord(
  row: OdataEntity,
  spec: ContactPersonProfile,
): ContactPersonRecord {
  return {
    ref: String(row.Ref_Key),
    name: readOnecString(row[spec.fields.name]),
    ownerRef: readOnecRef(row[spec.owner.field]),
  };
}
