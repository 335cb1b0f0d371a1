import { randomUUID } from "node:crypto";

import { applyBody, normalizeRows } from "./apply-body.js";
import { assignNumbers, noteNumber } from "./assign-numbers.js";
import { checkPosting, checkRequired } from "./check-filling.js";
import {
  entityAlreadyExists,
  entityNotFound,
  invalidPropertyValue,
} from "./errors.js";
import { BP30_METADATA } from "./metadata/bp30.js";
import type { EntitySetMeta, ProfileMeta } from "./metadata/types.js";
import { UT11_METADATA } from "./metadata/ut11.js";
import { GUID_PATTERN, emptyEntity } from "./metadata/wire-values.js";
import { runBeforeWrite } from "./run-before-write.js";
import type {
  Entity,
  OnecBaseOptions,
  OnecProfile,
  OnecSeed,
} from "./types.js";

const PROFILES: Record<OnecProfile, ProfileMeta> = {
  ut11: UT11_METADATA,
  bp30: BP30_METADATA,
};

/** DataVersion looks like 1C's opaque base64 counter ("AAAAAAAERK0="). */
const FIRST_DATA_VERSION = 280_000n;

export interface BaseState {
  name: string;
  profile: OnecProfile;
  sets: Map<string, EntitySetMeta>;
  objects: Map<string, Map<string, Entity>>;
  counters: Map<string, number>;
  seed: OnecSeed;
}

/** In-memory infobases: objects per entity set, autonumber counters. */
export class OnecStore {
  readonly #bases = new Map<string, BaseState>();
  #dataVersion = FIRST_DATA_VERSION;

  constructor(
    bases: OnecBaseOptions[],
    defaultSeeds: Record<OnecProfile, OnecSeed>,
  ) {
    for (const base of bases) {
      const profile = PROFILES[base.profile];
      this.#bases.set(base.name, {
        name: base.name,
        profile: base.profile,
        sets: new Map(profile.entitySets.map((s) => [s.name, s])),
        objects: new Map(),
        counters: new Map(),
        seed: base.seed ?? defaultSeeds[base.profile],
      });
    }
    this.reset();
  }

  reset(): void {
    for (const base of this.#bases.values()) {
      base.objects = new Map(
        [...base.sets.keys()].map((name) => [name, new Map()]),
      );
      base.counters = new Map();
      for (const [setName, objects] of Object.entries(base.seed)) {
        for (const object of objects)
          this.insertRaw(base.name, setName, object);
      }
    }
  }

  base(name: string): BaseState | undefined {
    return this.#bases.get(name);
  }

  baseNames(): string[] {
    return [...this.#bases.keys()];
  }

  list(baseName: string, setName: string): Entity[] {
    return [...this.#objects(baseName, setName).values()];
  }

  get(baseName: string, setName: string, ref: string): Entity | undefined {
    return this.#objects(baseName, setName).get(ref.toLowerCase());
  }

  /** Admin and seed insert: fills standard fields, validates nothing. */
  insertRaw(baseName: string, setName: string, object: Entity): string {
    const { base, meta } = this.#resolve(baseName, setName);
    const entity: Entity = { ...emptyEntity(meta), ...object };
    const ref =
      typeof object.Ref_Key === "string" ? object.Ref_Key : randomUUID();
    entity.Ref_Key = ref.toLowerCase();
    for (const section of meta.tabularSections) {
      entity[section.name] = normalizeRows(
        section,
        object[section.name],
        entity.Ref_Key,
      );
    }

    noteNumber(base.counters, meta, entity);
    assignNumbers(base.counters, meta, entity);
    runBeforeWrite(base.profile, meta, entity);
    entity.DataVersion = this.#nextDataVersion();
    this.#objects(baseName, setName).set(entity.Ref_Key as string, entity);
    return entity.Ref_Key as string;
  }

  /** POST: the body as 1C's OData layer would write it (reference onec §1.6). */
  create(baseName: string, setName: string, body: Entity): Entity {
    const { base, meta } = this.#resolve(baseName, setName);
    const ref = clientKey(body.Ref_Key) ?? randomUUID();
    const objects = this.#objects(baseName, setName);
    if (objects.has(ref)) throw entityAlreadyExists();

    const entity = emptyEntity(meta);
    entity.Ref_Key = ref;
    applyBody(entity, body, meta);
    assignNumbers(base.counters, meta, entity);
    runBeforeWrite(base.profile, meta, entity);
    checkRequired(meta, entity);

    entity.DataVersion = this.#nextDataVersion();
    objects.set(ref, entity);
    return entity;
  }

  /** PATCH changes the sent properties; PUT resets the others first. */
  update(
    target: { base: string; set: string; ref: string },
    body: Entity,
    replace: boolean,
  ): Entity {
    const { base, meta } = this.#resolve(target.base, target.set);
    const current = this.get(target.base, target.set, target.ref);
    if (!current) throw entityNotFound();

    const entity = replace
      ? keepIdentity(meta, current)
      : structuredClone(current);
    applyBody(entity, body, meta);
    runBeforeWrite(base.profile, meta, entity);
    checkRequired(meta, entity);

    entity.DataVersion = this.#nextDataVersion();
    this.#objects(target.base, target.set).set(
      target.ref.toLowerCase(),
      entity,
    );
    return entity;
  }

  remove(baseName: string, setName: string, ref: string): void {
    const deleted = this.#objects(baseName, setName).delete(ref.toLowerCase());
    if (!deleted) throw entityNotFound();
  }

  /** Post/Unpost: posting runs the document's fill checks (reference onec §1.9). */
  setPosted(
    baseName: string,
    setName: string,
    ref: string,
    posted: boolean,
  ): void {
    const { meta } = this.#resolve(baseName, setName);
    const entity = this.get(baseName, setName, ref);
    if (!entity) throw entityNotFound();
    if (posted) checkPosting(meta, entity);

    entity.Posted = posted;
    entity.DataVersion = this.#nextDataVersion();
  }

  #resolve(
    baseName: string,
    setName: string,
  ): { base: BaseState; meta: EntitySetMeta } {
    const base = this.#bases.get(baseName);
    const meta = base?.sets.get(setName);
    if (!base || !meta)
      throw new Error(`Unknown entity set ${baseName}/${setName}`);
    return { base, meta };
  }

  #objects(baseName: string, setName: string): Map<string, Entity> {
    const objects = this.#bases.get(baseName)?.objects.get(setName);
    if (!objects) throw new Error(`Unknown entity set ${baseName}/${setName}`);
    return objects;
  }

  #nextDataVersion(): string {
    this.#dataVersion += 1n;
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64BE(this.#dataVersion);
    return bytes.toString("base64");
  }
}

function clientKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !GUID_PATTERN.test(value)) {
    throw invalidPropertyValue("Ref_Key");
  }
  return value.toLowerCase();
}

function keepIdentity(meta: EntitySetMeta, current: Entity): Entity {
  const entity = emptyEntity(meta);
  for (const name of [
    "Ref_Key",
    "Code",
    "Number",
    "Date",
    "Posted",
    "Predefined",
    "PredefinedDataName",
  ]) {
    if (name in current) entity[name] = current[name];
  }
  return entity;
}
