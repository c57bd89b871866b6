import { createHash, randomInt, timingSafeEqual } from "node:crypto";

/**
 * The first-run setup code: 16 characters from a 32-letter alphabet without look-alikes
 * (no I, O, 0, 1), shown as XXXX-XXXX-XXXX-XXXX. 80 bits of randomness: guessing it over HTTP is
 * hopeless, so it needs no throttling of its own. Only its SHA-256 is stored.
 */
export const SETUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS = 4;
const GROUP_LENGTH = 4;

export function generateSetupCode(): string {
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) {
    let text = "";
    for (let index = 0; index < GROUP_LENGTH; index++) text += SETUP_CODE_ALPHABET[randomInt(SETUP_CODE_ALPHABET.length)];
    groups.push(text);
  }
  return groups.join("-");
}

/** What the user typed, forgiving case, spaces and dashes: "abcd efgh-…" → "ABCDEFGH…". */
export function normalizeSetupCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, "");
}

export function hashSetupCode(code: string): string {
  return createHash("sha256").update(normalizeSetupCode(code)).digest("hex");
}

/** Constant-time comparison of a typed code with the stored hash; an empty hash matches nothing. */
export function setupCodeMatches(input: string, storedHash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(storedHash)) return false;
  const actual = Buffer.from(hashSetupCode(input), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return timingSafeEqual(actual, expected);
}
