import { z } from "zod";

// C0 and C1 controls (CR, LF, TAB, NUL …) and DEL.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const URL_CONTROL_CHARACTER_MESSAGE = "The URL contains a line break, a tab or another control character. Type it again, without them.";

/**
 * An http(s) URL typed into a form or sent to the API. zod's z.url() parses with the WHATWG URL
 * parser, which silently drops CR, LF and TAB ("https://ex\r\nample.com/" becomes
 * "https://example.com/"): such input is refused here first, so what is stored is what was typed.
 * The outbound policy (lib/protocol/net/outbound-url.ts) checks the rest when it is used.
 */
export function httpUrlSchema(error: string, max = 2000) {
  return z
    .string({ error })
    .max(max, `At most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), URL_CONTROL_CHARACTER_MESSAGE)
    .pipe(z.url({ protocol: /^https?$/, error }));
}
