import { text } from "node:stream/consumers";

/** The environment variable rotate-key reads the new key from. */
export const NEW_KEY_VARIABLE = "AMO1C_NEW_SECRET_KEY";

export interface NewKeySources {
  /** --new-key: simplest, but the key shows in `ps` and shell history. */
  flag?: string | undefined;
  /** --new-key-stdin: read the key from the first line of stdin. */
  fromStdin: boolean;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/**
 * The new key for rotate-key, from the flag, stdin or the environment (in
 * that order), or null when none was given.
 */
export async function readNewKey(
  sources: NewKeySources,
): Promise<string | null> {
  if (sources.flag !== undefined) return sources.flag.trim();
  if (sources.fromStdin) {
    const firstLine = (await text(sources.stdin)).split(/\r?\n/, 1)[0];
    return firstLine?.trim() ?? "";
  }
  const fromEnv = sources.env[NEW_KEY_VARIABLE];
  return fromEnv === undefined || fromEnv === "" ? null : fromEnv.trim();
}
