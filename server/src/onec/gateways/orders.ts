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
  const rowColumns = dealRowColumns(ctx);
  const select = orderSelect(spec, rowColumns.length > 0);
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
      await ctx.publication.assertWritable(spec.entitySet, rowColumns);
      const row = await createIdempotently({
        ...ctx,
        entitySet: spec.entitySet,
        purpose: input.purpose,
        body: {
          [spec.fields.date]: toNaiveDateTime(ctx.now(), ctx.settings.timeZone),
          ...fromSettings,
          ...spec.constants,
          ...orderFieldsBody(ctx, input),
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

      await ctx.publication.assertWritable(spec.entitySet, rowColumns);
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
    // TODO(#4): without the dealItemRef setting orders carry no goods rows, and 1C recomputes СуммаДокумента from Товары on write (reference onec §2.5), so a real base may store 0; choosing the item in the settings fixes it.
    const row = dealRow(ctx, values.sum);
    if (row) body[spec.items.section] = numberRows([row]);
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

/** "Товары/Цена" and the like for the row's columns; none without an item. */
function dealRowColumns(ctx: GatewayContext): string[] {
  const row = dealRow(ctx, 0);
  if (!row) return [];
  const { section } = ctx.profile.order.items;
  return [section, ...Object.keys(row).map((c) => `${section}/${c}`)];
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
    date: readOnecDate(row[fields.date]) ?? "",
    sum: readOnecNumber(row[fields.sum]),
    counterpartyRef: readOnecRef(row[fields.counterparty]),
    contactPersonRef: fields.contactPerson
      ? readOnecRef(row[fields.contactPerson])
      : null,
    comment: readOnecString(row[fields.comment]),
  };
}

function orderGone(spec: OrderProfile, ref: string): AppError {
  return new AppError(
    "onec_not_found",
    `The ${spec.title} ${ref} is gone from 1C or marked for deletion`,
    { status: 404, source: "onec" },
  );
}
