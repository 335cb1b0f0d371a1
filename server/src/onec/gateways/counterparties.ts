import type {
  CounterpartyKind,
  CounterpartyRecord,
  NewCounterparty,
  OnecGateways,
} from "../gateway-types.js";
import { buildContactInfoRows } from "../build-contact-info-rows.js";
import { buildMarkerFilter } from "../build-marker-filter.js";
import { and, eq } from "../build-odata-filter.js";
import type { OdataEntity } from "../create-odata-client.js";
import {
  createIdempotently,
  findEarlierCreate,
} from "../create-idempotently.js";
import type { CounterpartyProfile, FieldValues } from "../profiles/types.js";
import { readOnecRef, readOnecString } from "../read-onec-value.js";
import {
  searchByEmail,
  searchByPhone,
  type ObjectSearch,
} from "./find-by-contact-info.js";
import { isLive, type GatewayContext } from "./gateway-context.js";
import { createPartner, partnerPurpose } from "./partners.js";
import { resolveContactInfoKinds } from "./resolve-contact-info-kinds.js";
import { validateNewCounterparty } from "./validate-new-counterparty.js";

/** 1C's Description of a counterparty holds 100 characters (reference onec §2.1). */
const NAME_MAX_LENGTH = 100;
/** Rows read when amo1c filters the answer further. */
const CANDIDATE_LIMIT = 50;

type CounterpartyGateway = Pick<
  OnecGateways,
  | "findCounterpartyByRef"
  | "findCounterpartyByInn"
  | "findCounterpartyByPhone"
  | "findCounterpartyByEmail"
  | "findCounterpartyByMarker"
  | "createCounterparty"
>;

export function createCounterpartyGateway(
  ctx: GatewayContext,
): CounterpartyGateway {
  const spec = ctx.profile.counterparty;
  const select = counterpartySelect(spec);
  const toRecord = (row: OdataEntity) => toCounterpartyRecord(row, spec);

  async function findFirst(
    search: ObjectSearch,
  ): Promise<CounterpartyRecord | null> {
    const rows = await ctx.client.list(spec.entitySet, {
      filter: and(...liveConditions(spec), search.filter),
      select: [...select, ...(search.select ?? [])],
      top: search.accept ? CANDIDATE_LIMIT : 1,
    });
    const row = search.accept ? rows.find(search.accept) : rows[0];
    return row ? toRecord(row) : null;
  }

  const findByContact = (search: ObjectSearch | null) =>
    search ? findFirst(search) : Promise.resolve(null);

  return {
    async findCounterpartyByRef(ref) {
      const row = await ctx.client.get(spec.entitySet, ref, { select });
      return isLive(row) && hasValues(row, spec.readFilter)
        ? toRecord(row)
        : null;
    },

    async findCounterpartyByInn(inn, kpp) {
      if (!inn.trim()) return null;
      return findFirst({
        filter: and(
          eq(spec.fields.inn, inn.trim()),
          kpp?.trim() ? eq(spec.fields.kpp, kpp.trim()) : undefined,
        ),
      });
    },

    findCounterpartyByPhone: (phone) =>
      findByContact(searchByPhone(ctx.profile.contactInfo, phone)),

    findCounterpartyByEmail: (email) =>
      findByContact(searchByEmail(ctx.profile.contactInfo, email)),

    async findCounterpartyByMarker(marker) {
      if (!marker.trim()) return null;
      const search = buildMarkerFilter(marker, spec.fields.marker);
      return findFirst({
        filter: search.filter,
        accept: (row) => search.matches(row[spec.fields.marker]),
      });
    },

    async createCounterparty(input) {
      validateNewCounterparty(input);
      await ctx.publication.assertWritable(spec.entitySet);
      const row =
        (await findEarlierCreate({ ...ctx, purpose: input.purpose })) ??
        (await createIdempotently({
          ...ctx,
          entitySet: spec.entitySet,
          purpose: input.purpose,
          body: await newCounterpartyBody(ctx, input),
        }));
      await ctx.pendingCreates.release(input.purpose);
      await ctx.pendingCreates.release(partnerPurpose(input.purpose));
      return toRecord(row);
    },
  };
}

async function newCounterpartyBody(
  ctx: GatewayContext,
  input: NewCounterparty,
): Promise<OdataEntity> {
  const spec = ctx.profile.counterparty;
  const { fields } = spec;
  const kinds = await resolveContactInfoKinds(ctx, spec.contactKinds, input);
  const rows = buildContactInfoRows(ctx.profile.contactInfo, input, kinds);
  // UT 11 requires the partner before the counterparty (reference onec §2.3).
  const partnerRef = await createPartner(ctx, input);
  const name = input.name.trim();
  const inn = input.inn?.trim();
  const kpp = input.kind === "legal" ? input.kpp?.trim() : undefined;

  return {
    [fields.name]: truncate(name, NAME_MAX_LENGTH),
    [fields.fullName]: name,
    ...spec.kinds[input.kind],
    [fields.marker]: input.marker,
    ...(inn ? { [fields.inn]: inn } : {}),
    ...(kpp ? { [fields.kpp]: kpp } : {}),
    ...(fields.partner && partnerRef ? { [fields.partner]: partnerRef } : {}),
    ...(rows.length > 0 ? { [ctx.profile.contactInfo.section]: rows } : {}),
  };
}

function counterpartySelect(spec: CounterpartyProfile): string[] {
  const { fields } = spec;
  return [
    ...new Set([
      "Ref_Key",
      "DeletionMark",
      fields.name,
      fields.inn,
      fields.kpp,
      fields.marker,
      ...(fields.partner ? [fields.partner] : []),
      ...Object.keys(spec.readFilter),
      ...Object.values(spec.kinds).flatMap((kind) => Object.keys(kind)),
    ]),
  ];
}

function liveConditions(spec: CounterpartyProfile): string[] {
  return [
    eq("DeletionMark", false),
    ...Object.entries(spec.readFilter).map(([field, value]) =>
      eq(field, value),
    ),
  ];
}

export function toCounterpartyRecord(
  row: OdataEntity,
  spec: CounterpartyProfile,
): CounterpartyRecord {
  const { fields } = spec;
  return {
    ref: String(row.Ref_Key),
    name: readOnecString(row[fields.name]),
    inn: readOnecString(row[fields.inn]) || null,
    kpp: readOnecString(row[fields.kpp]) || null,
    kind: readKind(row, spec),
    partnerRef: fields.partner ? readOnecRef(row[fields.partner]) : null,
  };
}

function readKind(
  row: OdataEntity,
  spec: CounterpartyProfile,
): CounterpartyKind {
  const kinds = Object.entries(spec.kinds) as Array<
    [CounterpartyKind, FieldValues]
  >;
  const match = kinds.find(([, values]) => hasValues(row, values));
  if (match) return match[0];
  // Other kinds (a non-resident, say) are treated by their INN length.
  const inn = readOnecString(row[spec.fields.inn]);
  return inn.length === 12 ? "sole_proprietor" : "legal";
}

function hasValues(row: OdataEntity, values: FieldValues): boolean {
  return Object.entries(values).every(([field, value]) => row[field] === value);
}

function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  // Cut by code points so an emoji is never split in half.
  let result = "";
  for (const char of text) {
    if (result.length + char.length > maxLength) break;
    result += char;
  }
  return result;
}
