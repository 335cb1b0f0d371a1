import type { Kysely, Selectable } from "kysely";

import type { Database, EntityLinksTable } from "../db/schema.js";
import type { CounterpartyOrigin } from "./decide-company-backlink.js";

/**
 * What an amoCRM entity became in 1C:
 * - company_counterparty: a company → its counterparty (owner "");
 * - contact_counterparty: a contact → the counterparty made from it (owner "");
 * - contact_person: a contact → its contact person under one owner.
 */
export type LinkKind =
  "company_counterparty" | "contact_counterparty" | "contact_person";

export interface EntityLink {
  kind: LinkKind;
  amoId: number;
  ownerRef: string;
  onecRef: string;
  partnerRef: string | null;
  name: string | null;
  inn: string | null;
  origin: CounterpartyOrigin | null;
}

export interface EntityLinksRepository {
  find(
    kind: LinkKind,
    amoId: number,
    ownerRef?: string,
  ): Promise<EntityLink | null>;
  /** Every link of one kind to the 1C object, oldest first. */
  findByOnecRef(kind: LinkKind, onecRef: string): Promise<EntityLink[]>;
  /** Records a link; an existing one for the same key is replaced. */
  save(link: EntityLink): Promise<void>;
  remove(kind: LinkKind, amoId: number, ownerRef?: string): Promise<void>;
}

export function createEntityLinksRepository(
  db: Kysely<Database>,
): EntityLinksRepository {
  return {
    async find(kind, amoId, ownerRef = "") {
      const row = await db
        .selectFrom("entity_links")
        .selectAll()
        .where("kind", "=", kind)
        .where("amo_id", "=", amoId)
        .where("owner_ref", "=", ownerRef)
        .executeTakeFirst();
      return row ? toLink(kind, row) : null;
    },

    async findByOnecRef(kind, onecRef) {
      const rows = await db
        .selectFrom("entity_links")
        .selectAll()
        .where("kind", "=", kind)
        .where("onec_ref", "=", onecRef)
        .orderBy("created_at")
        .execute();
      return rows.map((row) => toLink(kind, row));
    },

    async save(link) {
      const values = {
        kind: link.kind,
        amo_id: link.amoId,
        owner_ref: link.ownerRef,
        onec_ref: link.onecRef,
        partner_ref: link.partnerRef,
        name: link.name,
        inn: link.inn,
        origin: link.origin,
        created_at: new Date().toISOString(),
      };
      await db
        .insertInto("entity_links")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["kind", "amo_id", "owner_ref"]).doUpdateSet({
            onec_ref: values.onec_ref,
            partner_ref: values.partner_ref,
            name: values.name,
            inn: values.inn,
            origin: values.origin,
          }),
        )
        .execute();
    },

    async remove(kind, amoId, ownerRef = "") {
      await db
        .deleteFrom("entity_links")
        .where("kind", "=", kind)
        .where("amo_id", "=", amoId)
        .where("owner_ref", "=", ownerRef)
        .execute();
    },
  };
}

function toLink(kind: LinkKind, row: Selectable<EntityLinksTable>): EntityLink {
  return {
    kind,
    amoId: row.amo_id,
    ownerRef: row.owner_ref,
    onecRef: row.onec_ref,
    partnerRef: row.partner_ref,
    name: row.name,
    inn: row.inn,
    origin: row.origin as CounterpartyOrigin | null,
  };
}
