const KEY_BYTES = 32;

/**
 * AMO1C_SECRET_KEY as bytes, or null unless it is the canonical base64 of
 * exactly 32 bytes. Node's decoder skips characters outside the alphabet, so
 * a key pasted with junk in it (a quote, a stray letter) would otherwise
 * decode to some other 32 bytes and lock the stored secrets away.
 */
export function parseSecretKey(value: string): Buffer | null {
  const bytes = Buffer.from(value, "base64");
  if (bytes.length !== KEY_BYTES) return null;
  return bytes.toString("base64") === value ? bytes : null;
}
