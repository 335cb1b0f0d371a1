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
  /** Internal values kept beside the settings (cursors, markers), as JSON. */
  readValue(key: string): Promise<unknown>;
  writeValue(key: string, value: unknown): Promise<void>;
}

export function createSettingsStore(db: Kysely<Database>): SettingsStore {
  async function readValue(key: string): Promise<unknown> {
    const row = await db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", key)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  async function writeValue(key: string, value: unknown): Promise<void> {
    const row = {
      key,
      value: JSON.stringify(value),
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

  async function get<S extends Section>(
    section: S,
  ): Promise<SectionValue<S> | null> {
    const value = await readValue(section);
    // Parsing on read applies defaults added by later versions.
    return value === undefined
      ? null
      : (SECTIONS[section].parse(value) as SectionValue<S>);
  }

  async function put<S extends Section>(
    section: S,
    value: SectionValue<S>,
  ): Promise<void> {
    await writeValue(section, SECTIONS[section].parse(value));
  }

  return {
    get,
    put,
    readValue,
    writeValue,
    exchange: async () =>
      (await get("exchange")) ?? exchangeSettingsSchema.parse({}),
    amocrm: () => get("amocrm"),
    onec: () => get("onec"),
  };
}
