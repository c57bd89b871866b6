/**
 * Labels that can be mistaken for other names, per Unicode Technical Standard #39 (security
 * mechanisms): checked on the Unicode form of each label before a name is stored.
 *
 * 1. Characters a host name label cannot hold: punctuation and symbols (IDNA2008 disallows them;
 *    Node's lenient IDNA mapping lets U+2044 FRACTION SLASH, U+2215 DIVISION SLASH and emoji
 *    through, so "example.com⁄evil.com" would become the registrable name "com⁄evil.com" that
 *    reads as a path). The exceptions are IDNA2008's CONTEXTO characters in their context
 *    (Catalan l·l, the Greek keraia, Hebrew geresh and gershayim, the katakana middle dot).
 * 2. Mixed scripts in one label: the label must be "highly restrictive" (UTS #39 section 5.2):
 *    one script by the resolved Script_Extensions set, or Latin with Han and Japanese kana, Han
 *    and Bopomofo, or Han and Hangul. "exаmple" (a Cyrillic а among Latin letters) fails.
 * 3. Whole-script confusables: a label written entirely in another script whose every letter
 *    looks like a Latin one ("аррӏе", all Cyrillic) unless the top-level domain is of that
 *    script (.рф, .ru …), where such names are expected.
 * 4. Latin letters from the phonetic and historic blocks (U+0250 and up: ɑ, ɡ, small capitals)
 *    that look like ASCII letters ("ɡoogle"). The letters of living orthographies (æ, ı, þ,
 *    ß …) are left alone.
 *
 * Pure logic; the Unicode data is generated into unicode-data.ts.
 */
import { LOOKALIKES, SCRIPT_NAMES } from "@/lib/protocol/names/unicode-data";

const lookalikes = new Map<number, { ascii: string; name: string }>(
  LOOKALIKES.map(([codePoint, ascii, name]) => [codePoint, { ascii: ascii.toLowerCase(), name }]),
);

/** "а (U+0430 CYRILLIC SMALL LETTER A)" or "♥ (U+2665)". */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = lookalikes.get(codePoint)?.name;
  return name ? `${character} (${hex} ${name})` : `${character} (${hex})`;
}

/** "а is CYRILLIC SMALL LETTER A", "l is LATIN SMALL LETTER L" or "ꙋ is U+A64B". */
function characterIs(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const name = /^[a-z]$/.test(character) ? `LATIN SMALL LETTER ${character.toUpperCase()}` : lookalikes.get(codePoint)?.name;
  return `${character} is ${name ?? `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`}`;
}

function distinct(characters: string[], limit = 3): string[] {
  return [...new Set(characters)].slice(0, limit);
}

/** The name with every look-alike replaced by its ASCII prototype, lower case. */
export function skeleton(text: string): string {
  return Array.from(text, (character) => lookalikes.get(character.codePointAt(0) ?? 0)?.ascii ?? character).join("");
}

// --- Scripts ------------------------------------------------------------------------------------

const ALL: ReadonlySet<string> = new Set(["*"]);
let scriptPatterns: Array<[string, RegExp]> | undefined;
const COMMON_OR_INHERITED = /[\p{scx=Zyyy}\p{scx=Zinh}]/u;
const scriptCache = new Map<number, ReadonlySet<string>>();

function patterns(): Array<[string, RegExp]> {
  scriptPatterns ??= SCRIPT_NAMES.flatMap((name): Array<[string, RegExp]> => {
    try {
      return [[name, new RegExp(`\\p{scx=${name}}`, "u")]];
    } catch {
      return []; // a script this Node's Unicode version does not know
    }
  });
  return scriptPatterns;
}

/** Script_Extensions of one character (ALL for Common and Inherited), augmented per UTS #39 section 5.1. */
function scriptsOf(character: string): ReadonlySet<string> {
  const codePoint = character.codePointAt(0) ?? 0;
  const cached = scriptCache.get(codePoint);
  if (cached) return cached;
  let scripts: ReadonlySet<string>;
  if (/[a-z]/.test(character)) scripts = new Set(["Latin"]);
  else if (COMMON_OR_INHERITED.test(character)) scripts = ALL;
  else {
    const found = new Set(
      patterns()
        .filter(([, pattern]) => pattern.test(character))
        .map(([name]) => name),
    );
    if (found.has("Han")) ["Han with Bopomofo", "Japanese", "Korean"].forEach((name) => found.add(name));
    if (found.has("Hiragana") || found.has("Katakana")) found.add("Japanese");
    if (found.has("Hangul")) found.add("Korean");
    if (found.has("Bopomofo")) found.add("Han with Bopomofo");
    scripts = found.size > 0 ? found : new Set(["Unknown"]);
  }
  scriptCache.set(codePoint, scripts);
  return scripts;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === ALL) return b;
  if (b === ALL) return a;
  return new Set([...a].filter((name) => b.has(name)));
}

/** The resolved script set of a string (UTS #39 section 5.1): ALL when it has no script-specific character. */
export function resolvedScripts(text: string): ReadonlySet<string> {
  let resolved: ReadonlySet<string> = ALL;
  for (const character of text) resolved = intersect(resolved, scriptsOf(character));
  return resolved;
}

/** Latin with Japanese, Chinese (Bopomofo) or Korean: the combinations a highly restrictive label may mix. */
const ALLOWED_COMBINATIONS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["Latin", "Han", "Hiragana", "Katakana", "Japanese", "Han with Bopomofo", "Korean"]),
  new Set(["Latin", "Han", "Bopomofo", "Han with Bopomofo", "Japanese", "Korean"]),
  new Set(["Latin", "Han", "Hangul", "Korean", "Japanese", "Han with Bopomofo"]),
];

function isHighlyRestrictive(label: string): boolean {
  if (resolvedScripts(label).size > 0) return true;
  const combination = (allowed: ReadonlySet<string>) =>
    Array.from(label).every((character) => {
      const scripts = scriptsOf(character);
      return scripts === ALL || [...scripts].some((name) => allowed.has(name));
    });
  // Each alternative must itself hold together: Japanese needs no Hangul, Korean no kana.
  const japanese = (text: string) => !/[\p{scx=Hangul}\p{scx=Bopomofo}]/u.test(text) && combination(ALLOWED_COMBINATIONS[0]);
  const chinese = (text: string) => !/[\p{scx=Hangul}\p{scx=Hiragana}\p{scx=Katakana}]/u.test(text) && combination(ALLOWED_COMBINATIONS[1]);
  const korean = (text: string) => !/[\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}]/u.test(text) && combination(ALLOWED_COMBINATIONS[2]);
  return japanese(label) || chinese(label) || korean(label);
}

/** The script a character is shown under: its first script, "Unknown" for unassigned ones. */
function mainScriptOf(character: string): string | undefined {
  const scripts = scriptsOf(character);
  if (scripts === ALL) return undefined;
  return [...scripts].find((name) => !["Han with Bopomofo", "Japanese", "Korean"].includes(name)) ?? [...scripts][0];
}

function listWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

// --- Characters a label cannot hold ---------------------------------------------------------------

const LETTER_MARK_DIGIT = /^[\p{L}\p{M}\p{Nd}-]$/u;

/** IDNA2008 CONTEXTO rules (RFC 5892 appendix A) for the punctuation it allows in context. */
function allowedInContext(label: string, index: number, characters: string[]): boolean {
  const character = characters[index];
  switch (character) {
    case "\u00b7": // MIDDLE DOT: only between two l (Catalan "l·l")
      return characters[index - 1] === "l" && characters[index + 1] === "l";
    case "\u0375": // GREEK LOWER NUMERAL SIGN (keraia): before a Greek character
      return index + 1 < characters.length && /\p{Script=Greek}/u.test(characters[index + 1]);
    case "\u05f3": // HEBREW PUNCTUATION GERESH
    case "\u05f4": // HEBREW PUNCTUATION GERSHAYIM
      return index > 0 && /\p{Script=Hebrew}/u.test(characters[index - 1]);
    case "\u30fb": // KATAKANA MIDDLE DOT: in a label with Hiragana, Katakana or Han
      return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(label.replace(/\u30fb/g, ""));
    default:
      return false;
  }
}

export interface LabelProblem {
  /** One sentence after the quoted entry: what is wrong and what it can be mistaken for. */
  reason: string;
}

/**
 * Checks the Unicode form of one name (labels joined by dots, no wildcard prefix) and returns
 * the first problem, or undefined. `unicodeName` is what domainToUnicode gives for the stored
 * punycode; labels that are plain ASCII are skipped.
 */
export function checkUnicodeName(unicodeName: string): LabelProblem | undefined {
  const labels = unicodeName.split(".");
  const mistakenFor = (display: string) => {
    const plain = skeleton(display);
    return plain !== display && /^[\x21-\x7e]+$/.test(plain) ? `: it can be mistaken for ${plain}` : "";
  };
  for (const label of labels) {
    if (/^[\x00-\x7f]*$/.test(label)) continue;
    const characters = Array.from(label);

    // 1. Punctuation and symbols.
    const badIndex = characters.findIndex((character, index) => !LETTER_MARK_DIGIT.test(character) && !allowedInContext(label, index, characters));
    if (badIndex >= 0) {
      const character = characters[badIndex];
      const looksLike = lookalikes.get(character.codePointAt(0) ?? 0)?.ascii;
      const reading = looksLike && !/^[a-z0-9]+$/.test(looksLike) ? `, which looks like ${JSON.stringify(looksLike)}` : "";
      return {
        reason: `the label ${JSON.stringify(label)} contains ${describeCharacter(character)}${reading}; host names hold only letters, digits and hyphens${reading ? mistakenFor(unicodeName) : ""}`,
      };
    }

    // 2. Mixed scripts in one label.
    if (!isHighlyRestrictive(label)) {
      const counts = new Map<string, number>();
      for (const character of characters) {
        const script = mainScriptOf(character);
        if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
      }
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([script]) => script);
      // Name the letters that do not belong: the non-Latin ones when Latin is among the
      // scripts (people read a mixed label as Latin), else those outside the main script.
      const main = counts.has("Latin") ? "Latin" : ranked[0];
      const odd = distinct(
        characters.filter((character) => {
          const script = mainScriptOf(character);
          return script !== undefined && script !== main;
        }),
      );
      return {
        reason: `the label ${JSON.stringify(label)} mixes ${listWords(ranked.map((script) => script.replace(/_/g, " ")))} letters (${odd.map(characterIs).join(", ")})${mistakenFor(unicodeName)}`,
      };
    }

    // 3. Whole-script confusables, 4. phonetic Latin look-alikes.
    const resolved = resolvedScripts(label);
    const script = resolved === ALL ? undefined : [...resolved][0];
    const letters = characters.filter((character) => scriptsOf(character) !== ALL);
    const plain = skeleton(label);
    if (script && script !== "Latin" && letters.length > 0 && /^[a-z0-9-]+$/.test(plain) && !tldUsesScript(labels.at(-1) ?? "", script)) {
      return {
        reason: `the label ${JSON.stringify(label)} is written in ${script.replace(/_/g, " ")} letters that all look like Latin ones (${distinct(letters).map(characterIs).join(", ")})${mistakenFor(unicodeName)}`,
      };
    }
    if (script === "Latin") {
      const phonetic = [
        ...new Set(
          characters.filter(
            (character) => (character.codePointAt(0) ?? 0) >= 0x250 && /^[a-z0-9]$/.test(lookalikes.get(character.codePointAt(0) ?? 0)?.ascii ?? ""),
          ),
        ),
      ];
      if (phonetic.length > 0) {
        return {
          reason: `the label ${JSON.stringify(label)} uses ${listWords(phonetic.slice(0, 3).map(describeCharacter))}, which ${phonetic.length > 1 ? "look" : "looks"} like ${phonetic.length > 1 ? "ordinary Latin letters" : "an ordinary Latin letter"}${mistakenFor(unicodeName)}`,
        };
      }
    }
  }
  return undefined;
}

/** Country-code TLDs whose names are commonly written in a non-Latin script (as Chrome treats them). */
const SCRIPT_TLDS: Record<string, readonly string[]> = {
  Cyrillic: ["bg", "by", "kg", "kz", "mk", "mn", "rs", "ru", "su", "tj", "ua", "uz"],
  Greek: ["gr", "cy"],
  Armenian: ["am"],
  Georgian: ["ge"],
};

function tldUsesScript(tld: string, script: string): boolean {
  if (SCRIPT_TLDS[script]?.includes(tld)) return true;
  const scripts = resolvedScripts(tld);
  return scripts !== ALL && scripts.has(script);
}
