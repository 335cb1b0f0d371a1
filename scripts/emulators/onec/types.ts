export type Entity = Record<string, unknown>;

/** Objects per entity set, e.g. `{ "Catalog_Контрагенты": [{ … }] }`. */
export type OnecSeed = Record<string, Entity[]>;

export type OnecProfile = "ut11" | "bp30";

export interface OnecBaseOptions {
  name: string;
  profile: OnecProfile;
  seed?: OnecSeed | undefined;
}
