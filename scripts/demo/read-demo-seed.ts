import { readFileSync } from "node:fs";

import { z } from "zod";

import type { AmocrmSeed } from "../emulators/amocrm/types.js";
import type { OnecSeed } from "../emulators/onec/types.js";

export interface DemoSeed {
  amocrm: AmocrmSeed;
  onec: OnecSeed;
  notes: { deleted_contacts: number[] };
}

const id = z.number().int().positive();
const named = { id, name: z.string() };
const fieldDefinitions = z.array(z.looseObject({ ...named, type: z.string() }));

/**
 * The fields the emulators and the stand read, checked before they start:
 * a user editing the fixture learns which value is wrong, not a stack
 * trace from deep inside an emulator. Other fields pass through.
 */
const demoSeedSchema = z.looseObject({
  amocrm: z.looseObject({
    account: z.looseObject({
      ...named,
      subdomain: z.string().min(1),
      tld: z.enum(["amocrm.ru", "kommo.com"]),
    }),
    users: z.array(z.looseObject({ ...named, is_admin: z.boolean() })).min(1),
    pipelines: z.array(
      z.looseObject({ ...named, statuses: z.array(z.looseObject(named)) }),
    ),
    custom_fields: z.looseObject({
      leads: fieldDefinitions,
      contacts: fieldDefinitions,
      companies: fieldDefinitions,
    }),
    contacts: z.array(z.looseObject(named)),
    companies: z.array(z.looseObject(named)),
    leads: z.array(
      z.looseObject({
        ...named,
        price: z.number().nonnegative().optional(),
        contacts: z
          .array(z.looseObject({ id, is_main: z.boolean() }))
          .optional(),
        company_id: id.nullable().optional(),
      }),
    ),
  }),
  onec: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  notes: z.looseObject({ deleted_contacts: z.array(id) }),
});

/** Reads and checks the demo's fixture; errors name the file and the spot. */
export function readDemoSeed(file: string): DemoSeed {
  const text = readFileSync(file, "utf8");
  const raw = parseJson(text, file);
  const checked = demoSeedSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const path = issue?.path.join(".") || "(top level)";
    throw new Error(
      `${file}: ${path}: ${issue?.message ?? "invalid value"}; fix it and start the demo again`,
    );
  }
  // The schema checks what the stand relies on; the types hold the rest.
  return raw as DemoSeed;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${file}${lineAndColumn(text, message)} is not valid JSON: ${message}`,
    );
  }
}

/** ":2:3" for V8's "at position N", so an editor can jump to it. */
function lineAndColumn(text: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  if (!match) return "";
  const before = text.slice(0, Number(match[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `:${line}:${column}`;
}
