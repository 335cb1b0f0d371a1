import type { Kysely } from "kysely";
import type { z } from "zod";

import {
  amocrmSettingsSchema,
  exchangeSettingsSchema,
  onecSettingsSchema,
  type AmocrmSettings,
  type ExchangeSettings,
  type OnecSettings,
} from "../../../shared/settings.js";
import type { Database } from "../db/schema.js";

const SECTIONS = {
  amocrm: amocrmSettingsSchema,
  onec: onecSettingsSchema,
  exchange: exchangeSettingsSchema,
} as const;

type Section = keyof typeof SECTIONS;
type SectionValue<S extends Section> = z.infer<(typeof SECTIONS)[S]>;

/** Non-secret settings, one validated JSON document per section. */
export interface SettingsStore {
  get<S extends Section>(section: S): Promise<SectionValue<S> | null>;
  put<S extends Section>(section: S, value: SectionValue<S>): Promise<void>;
  /** Exchange settings with their defaults when never saved. */
  exchange(): Promise<ExchangeSettings>;
  amocrm(): Promise<AmocrmSettings | null>;
  onec(): Promise<OnecSettings | null>;
}

export function createSettingsStore(db: Kysely<Database>): SettingsStore {
  async function get<S extends Section>(
    section: S,
  ): Promise<SectionValue<S> | null> {
    const row = await db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", section)
      .executeTakeFirst();
    if (!row) return null;
    // Parsing on read applies defaults added by later versions.
    return SECTIONS[section].parse(JSON.parse(row.value)) as SectionValue<S>;
  }

  async function put<S extends Section>(
    section: S,
    value: SectionValue<S>,
  ): Promise<void> {
    const row = {
      key: section,
      value: JSON.stringify(SECTIONS[section].parse(value)),
      updated_at: new Date().toISOString(),
    };
    await db
      .insertInto("settings")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("key")
          .doUpdateSet({ value: row.value, updated_at: row.updated_at }),
      )
      .execute();
  }

  return {
    get,
    put,
    exchange: async () =>
      (await get("exchange")) ?? exchangeSettingsSchema.parse({}),
    amocrm: () => get("amocrm"),
    onec: () => get("onec"),
  };
}
