import { AppError } from "../../errors.js";
import type {
  OnecGateways,
  OrderFields,
  OrderRecord,
} from "../gateway-types.js";
import { numberRows } from "../build-contact-info-rows.js";
import { buildMarkerFilter } from "../build-marker-filter.js";
import { and, eq } from "../build-odata-filter.js";
import { buildPatchBody } from "../build-patch-body.js";
import type { OdataEntity } from "../create-odata-client.js";
import { createIdempotently } from "../create-idempotently.js";
import type { OrderProfile } from "../profiles/types.js";
import {
  EMPTY_ONEC_REF,
  readOnecDate,
  readOnecNumber,
  readOnecRef,
  readOnecString,
} from "../read-onec-value.js";
import { toNaiveDateTime } from "../to-naive-date-time.js";
import {
  isLive,
  requirePartnerRef,
  type GatewayContext,
} from "./gateway-context.js";

/** Orders read when amo1c checks the marker on the answer. */
const CANDIDATE_LIMIT = 50;

type OrderGateway = Pick<
  OnecGateways,
  "findOrderByRef" | "findOrderByMarker" | "createOrder" | "updateOrder"
>;

export function createOrderGateway(ctx: GatewayContext): OrderGateway {
  const spec = ctx.profile.order;
  const withRows = Boolean(ctx.settings.dealItemRef);
  const select = orderSelect(spec, withRows);
  const toRecord = (row: OdataEntity) => toOrderRecord(row, spec);

  async function readLive(ref: string): Promise<OdataEntity | null> {
    const row = await ctx.client.get(spec.entitySet, ref, { select });
    return isLive(row) ? row : null;
  }

  return {
    async findOrderByRef(ref) {
      const row = await readLive(ref);
      return row ? toRecord(row) : null;
    },

    async findOrderByMarker(marker) {
      if (!marker.trim()) return null;
      const search = buildMarkerFilter(marker, spec.fields.comment);
      const rows = await ctx.client.list(spec.entitySet, {
        filter: and(eq("DeletionMark", false), search.filter),
        select,
        top: CANDIDATE_LIMIT,
      });
      const row = rows.find((r) => search.matches(r[spec.fields.comment]));
      return row ? toRecord(row) : null;
    },

    async createOrder(input) {
      const fromSettings = settingsFields(ctx, spec);
      const fields = orderFieldsBody(ctx, input);
      await ctx.publication.assertWritable(spec.entitySet);
      const row = await createIdempotently({
        ...ctx,
        entitySet: spec.entitySet,
        purpose: input.purpose,
        body: {
          [spec.fields.date]: toNaiveDateTime(ctx.now(), ctx.settings.timeZone),
          ...fromSettings,
          ...spec.constants,
          ...fields,
          [spec.fields.comment]: withMarker(input.comment, input.marker),
        },
      });
      return toRecord(row);
    },

    async updateOrder(ref, changes) {
      const current = await readLive(ref);
      if (!current) throw orderGone(spec, ref);
      const patch = buildPatchBody(current, orderFieldsBody(ctx, changes));
      if (Object.keys(patch).length === 0) return toRecord(current);

      await ctx.publication.assertWritable(spec.entitySet);
      const updated = await ctx.client.update(spec.entitySet, ref, patch);
      ctx.log.info(
        { entitySet: spec.entitySet, ref, fields: Object.keys(patch) },
        "1C order updated",
      );
      return toRecord({ ...current, ...updated });
    },
  };
}

/** The document fields for the given amo1c values; absent ones are left out. */
function orderFieldsBody(
  ctx: GatewayContext,
  values: Partial<OrderFields>,
): OdataEntity {
  const spec = ctx.profile.order;
  const { fields } = spec;
  const body: OdataEntity = {};
  if (values.counterparty) {
    body[fields.counterparty] = values.counterparty.ref;
    if (fields.partner)
      body[fields.partner] = requirePartnerRef(values.counterparty);
  }
  if (values.contactPersonRef !== undefined && fields.contactPerson) {
    body[fields.contactPerson] = values.contactPersonRef ?? EMPTY_ONEC_REF;
  }
  if (values.sum !== undefined) {
    body[fields.sum] = values.sum;
    const row = dealRow(ctx, values.sum);
    if (row) body[spec.items.section] = numberRows([row]);
    else if (values.sum !== 0) throw noDealItem(spec, values.sum);
  }
  if (values.comment !== undefined) body[fields.comment] = values.comment;
  return body;
}

/**
 * Organization, agreement, warehouse and the like from the settings; an
 * empty optional one is left for 1C's filling handler to default
 * (reference onec §1.6).
 */
function settingsFields(ctx: GatewayContext, spec: OrderProfile): OdataEntity {
  const body: OdataEntity = {};
  const missing: Record<string, string> = {};
  for (const [setting, target] of Object.entries(spec.fromSettings)) {
    const value = ctx.settings[setting as keyof typeof spec.fromSettings];
    if (value) body[target.field] = value;
    else if (target.required)
      missing[`onec.${setting}`] = "choose a value in the settings";
  }
  if (Object.keys(missing).length > 0) {
    throw new AppError(
      "onec_not_configured",
      `Cannot create a ${spec.title} in 1C: ${Object.keys(missing).join(", ")} is not set; choose it in the settings`,
      { status: 422, source: "amo1c", fields: missing },
    );
  }
  return body;
}

/** The comment links the document back to the deal; the marker finds it. */
function withMarker(comment: string, marker: string): string {
  if (comment.includes(marker)) return comment;
  return comment.trim() ? `${comment.trim()} ${marker}` : marker;
}

/**
 * The one goods row that carries the deal's sum, or null when no item is
 * chosen. The whole section is always sent, so it stays one row.
 */
function dealRow(ctx: GatewayContext, sum: number): OdataEntity | null {
  const { dealItemRef, vatRateRef } = ctx.settings;
  if (!dealItemRef) return null;

  const items = ctx.profile.order.items;
  const row: OdataEntity = { [items.item]: dealItemRef, ...items.constants };
  if (items.itemType) row[items.itemType.field] = items.itemType.value;
  for (const column of items.sumColumns) row[column] = sum;
  if (items.vatRate && vatRateRef) row[items.vatRate] = vatRateRef;
  return row;
}

function orderSelect(spec: OrderProfile, withRows: boolean): string[] {
  return [
    "Ref_Key",
    "DeletionMark",
    ...Object.values(spec.fields).filter((f): f is string => f !== null),
    ...(withRows ? [spec.items.section] : []),
  ];
}

function toOrderRecord(row: OdataEntity, spec: OrderProfile): OrderRecord {
  const { fields } = spec;
  return {
    ref: String(row.Ref_Key),
    number: readOnecString(row[fields.number]).trim(),
    date: readOnecDate(row[fields.date]),
    sum: readOnecNumber(row[fields.sum]),
    counterpartyRef: readOnecRef(row[fields.counterparty]),
    contactPersonRef: fields.contactPerson
      ? readOnecRef(row[fields.contactPerson])
      : null,
    comment: readOnecString(row[fields.comment]),
  };
}

/**
 * 1C recomputes СуммаДокумента from the goods rows on write (reference onec
 * §2.5), so a sum without a row would be stored as 0 and every later sync
 * would send it again; amo1c refuses instead. A zero sum loses nothing.
 */
function noDealItem(spec: OrderProfile, sum: number): AppError {
  return new AppError(
    "onec_not_configured",
    `Cannot write the deal's sum ${sum} into the ${spec.title} in 1C: 1C takes the sum from the goods rows, and no item carries it. Choose the item for the deal's sum in the settings (1C section)`,
    {
      status: 422,
      source: "amo1c",
      retryable: false,
      fields: { "onec.dealItemRef": "choose the item for the deal's sum" },
    },
  );
}

function orderGone(spec: OrderProfile, ref: string): AppError {
  return new AppError(
    "onec_not_found",
    `The ${spec.title} ${ref} is gone from 1C or marked for deletion`,
    { status: 404, source: "onec" },
  );
}
