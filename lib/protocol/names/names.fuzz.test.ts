import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { domainToUnicode } from "node:url";
import { hostileInputs } from "../../../test/support/hostile-inputs";
import { classifyAddress } from "@/lib/protocol/net/special-addresses";
import { LAB_NAME_OPTIONS, parseNames, type Identifier } from "./names";

/** Whatever comes in, what goes out is either refused with a message or a clean identifier. */
const CLEAN_DNS = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Independent of the implementation: what an accepted identifier must never be (outside a lab). */
function assertNotSpecial(identifier: Identifier): void {
  if (identifier.type === "ip") {
    const found = classifyAddress(identifier.value);
    assert.equal(found?.category, "public", `${identifier.value} is ${found?.category}`);
    assert.ok(found.embedded === undefined || found.embedded.kind === "6to4", `${identifier.value} is an IPv6 form of an IPv4 address`);
    return;
  }
  const unicode = domainToUnicode(identifier.value.replace(/^\*\./, ""));
  assert.ok(!/(^|\.)localhost$/.test(unicode), `${unicode} is a loopback name`);
  for (const label of unicode.split(".")) {
    const latin = /[a-z]/.test(label);
    assert.ok(
      !(latin && /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(label)),
      `${label} mixes Latin with a look-alike script`,
    );
    assert.ok(!/[\p{P}\p{S}]/u.test(label.replace(/l\u00b7l/g, "")), `${label} holds punctuation or a symbol`);
  }
}

function assertRefusedWithMessages(result: ReturnType<typeof parseNames>): void {
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.ok(result.errors.length > 0);
  for (const error of result.errors) {
    assert.equal(typeof error, "string");
    assert.ok(error.length < 400, "messages stay short, even for 10 kB inputs");
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(error), "no raw control characters in messages");
  }
}

/** The hostile names of issue #13: special-purpose addresses in their spellings, confusables. */
const ISSUE_13_NAMES = [
  "127.0.0.1",
  "0.0.0.0",
  "::",
  "255.255.255.255",
  "224.0.0.1",
  "ff02::1",
  "fe80::1",
  "169.254.169.254",
  "::ffff:127.0.0.1",
  "[::1]",
  "exаmple.com",
  "example.com⁄evil.com",
  "example.com∕evil.com",
  "xn--exmple-4nf.com",
  "аррӏе.com",
  "ɡoogle.com",
  "10.0.0.1",
  "fd00::1",
  "2001:db8::1",
  "foo.localhost",
  "64:ff9b::7f00:1",
  "😀.example.com",
];

describe("name validation over generated hostile input", () => {
  const inputs = [...hostileInputs(), ...ISSUE_13_NAMES];
  it(`has at least 200 inputs (${inputs.length})`, () => assert.ok(inputs.length >= 200));

  for (const [index, input] of inputs.entries()) {
    it(`input #${index} is refused with a message or yields only clean identifiers`, () => {
      const result = parseNames(input, { challengeMethod: "http-01-app" });
      if (result.ok) {
        for (const identifier of result.identifiers) {
          if (identifier.type === "dns") {
            assert.match(identifier.value, CLEAN_DNS);
            assert.ok(identifier.value.length <= 253);
            assert.ok(!identifier.value.includes(".."));
          } else {
            assert.match(identifier.value, /^[0-9a-f:.]+$/);
          }
          assertNotSpecial(identifier);
        }
      } else {
        assertRefusedWithMessages(result);
      }
    });
  }

  it("refuses every one of the issue's names, alone and in one list", () => {
    for (const name of ISSUE_13_NAMES) assertRefusedWithMessages(parseNames(name, { challengeMethod: "http-01-app" }));
    assertRefusedWithMessages(parseNames(ISSUE_13_NAMES.join("\n")));
  });
});

/** A small deterministic generator (same seed, same inputs: a failure can be reproduced). */
function generator(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { random, int, pick };
}

describe("special-purpose addresses in generated spellings", () => {
  const { int, pick, random } = generator(20260413);
  // [first octets, how many fixed, whether the lab opt-in allows the range]
  const v4Ranges: Array<[number[], boolean]> = [
    [[127], true],
    [[10], true],
    [[192, 168], true],
    [[172, 16 + int(16)], true],
    [[100, 64 + int(64)], true],
    [[169, 254], false],
    [[0], false],
    [[224 + int(16)], false],
    [[240 + int(15)], false],
  ];
  const v4 = (prefix: number[]) => [...prefix, ...Array.from({ length: 4 - prefix.length }, () => 1 + int(254))].join(".");
  const hex = (value: number) => value.toString(16);
  const group = (a: number, b: number) => hex(a * 256 + b);
  /** IPv6 spellings of an IPv4 address: mapped (dotted, hex, expanded, upper case, bracketed). */
  const mapped = (address: string) => {
    const [a, b, c, d] = address.split(".").map(Number);
    return pick([
      `::ffff:${address}`,
      `::FFFF:${address}`,
      `[::ffff:${address}]`,
      `::ffff:${group(a, b)}:${group(c, d)}`,
      `0:0:0:0:0:ffff:${group(a, b)}:${group(c, d)}`,
      `0000:0000:0000:0000:0000:FFFF:${group(a, b).padStart(4, "0")}:${group(c, d).padStart(4, "0")}`,
      `64:ff9b::${address}`,
      `64:ff9b::${group(a, b)}:${group(c, d)}`,
    ]);
  };
  const v6Special: Array<[() => string, boolean]> = [
    [() => pick(["::1", "0:0:0:0:0:0:0:1", "[::1]", "0000:0000:0000:0000:0000:0000:0000:0001", "[0::1]"]), true],
    [() => `fd${hex(int(256)).padStart(2, "0")}:${hex(int(65536))}::${hex(1 + int(65535))}`, true],
    [() => `FC00:${hex(int(65536)).toUpperCase()}::1`, true],
    [() => `2001:db8:${hex(int(65536))}::${hex(1 + int(65535))}`, true],
    [() => `fe80::${hex(1 + int(65535))}:${hex(int(65536))}`, false],
    [() => `ff0${hex(int(16))}::${hex(1 + int(65535))}`, false],
    [() => pick(["::", "0:0:0:0:0:0:0:0", "[::]"]), false],
  ];

  const cases: Array<[string, boolean]> = [];
  for (let index = 0; index < 150; index++) {
    if (random() < 0.5) {
      const [prefix, lab] = pick(v4Ranges);
      const address = v4(prefix);
      cases.push(random() < 0.5 ? [address, lab] : [mapped(address), false]);
    } else {
      const [make, lab] = pick(v6Special);
      cases.push([make(), lab]);
    }
  }

  it("refuses each of 150 generated special addresses outside a lab; the lab opt-in allows only loopback and private ones", () => {
    for (const [input, lab] of cases) {
      const result = parseNames([input], { challengeMethod: "http-01-standalone" });
      assertRefusedWithMessages(result);
      assert.ok(!result.ok && result.errors[0].startsWith(JSON.stringify(input)), `${input}: ${JSON.stringify(result)}`);
      assert.equal(parseNames([input], { challengeMethod: "http-01-standalone", ...LAB_NAME_OPTIONS }).ok, lab, input);
    }
  });
});

describe("look-alike letters swapped into generated names", () => {
  const { int, pick } = generator(7734);
  // Latin letter → letters of other scripts that look like it.
  const swaps: Record<string, string[]> = {
    a: ["а", "α"],
    c: ["с", "ϲ"],
    e: ["е"],
    i: ["і", "ι"],
    j: ["ј"],
    o: ["о", "ο", "օ"],
    p: ["р", "ρ"],
    s: ["ѕ"],
    x: ["х"],
    y: ["у"],
    h: ["һ"],
    n: ["ո"],
  };
  const words = [
    "example",
    "paypal",
    "apple",
    "google",
    "microsoft",
    "amazon",
    "bank",
    "account",
    "secure",
    "login",
    "shop",
    "acme",
    "cloud",
    "payment",
    "support",
  ];
  const cases: string[] = [];
  while (cases.length < 120) {
    const word = pick(words);
    const positions = Array.from(word)
      .map((letter, index) => [letter, index] as const)
      .filter(([letter]) => swaps[letter]);
    if (positions.length === 0) continue;
    const letters = Array.from(word);
    const count = 1 + int(Math.min(2, positions.length));
    for (let swapped = 0; swapped < count; swapped++) {
      const [letter, index] = pick(positions);
      letters[index] = pick(swaps[letter]);
    }
    const label = letters.join("");
    if (label === word) continue;
    cases.push(`${pick(["", "www.", "login."])}${label}.${pick(["com", "net", "org", "example"])}`);
  }

  it("refuses each of 120 generated look-alike names, saying which scripts mix and what it can be mistaken for", () => {
    for (const input of cases) {
      const result = parseNames([input]);
      assertRefusedWithMessages(result);
      const error = result.ok ? "" : result.errors[0];
      assert.match(error, /mixes [A-Za-z, ]*\bLatin\b[A-Za-z, ]* letters \(|all look like Latin ones/, input);
      assert.match(error, /it can be mistaken for [a-z.]+$/, input);
    }
  });
});
