import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateSetupCode, hashSetupCode, normalizeSetupCode, SETUP_CODE_ALPHABET, setupCodeMatches } from "./setup-code";

describe("setup code", () => {
  it("is four groups of four characters without look-alikes", () => {
    for (let index = 0; index < 50; index++) {
      const code = generateSetupCode();
      assert.match(code, /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    }
    assert.equal(SETUP_CODE_ALPHABET.length, 32);
    assert.equal(new Set(SETUP_CODE_ALPHABET).size, 32);
  });

  it("differs each time", () => {
    assert.equal(new Set(Array.from({ length: 100 }, generateSetupCode)).size, 100);
  });

  it("matches what was issued, forgiving case, spaces and dashes", () => {
    const code = generateSetupCode();
    const stored = hashSetupCode(code);
    assert.equal(setupCodeMatches(code, stored), true);
    assert.equal(setupCodeMatches(code.toLowerCase(), stored), true);
    assert.equal(setupCodeMatches(` ${code.replaceAll("-", " ")} `, stored), true);
    assert.equal(setupCodeMatches(code.replaceAll("-", ""), stored), true);
    assert.equal(normalizeSetupCode("ab-cd ef"), "ABCDEF");
  });

  it("refuses another code, an empty one, and anything when nothing is stored", () => {
    const stored = hashSetupCode("ABCD-EFGH-JKLM-NPQR");
    assert.equal(setupCodeMatches("ABCD-EFGH-JKLM-NPQS", stored), false);
    assert.equal(setupCodeMatches("", stored), false);
    assert.equal(setupCodeMatches("ABCD-EFGH-JKLM-NPQR", ""), false);
    assert.equal(setupCodeMatches("", ""), false, "an erased code is not matched by an empty input");
    assert.equal(setupCodeMatches("x", "not-a-hash"), false);
  });

  it("stores only a SHA-256 hex digest", () => {
    assert.match(hashSetupCode("ABCD-EFGH-JKLM-NPQR"), /^[0-9a-f]{64}$/);
    assert.doesNotMatch(hashSetupCode("ABCD-EFGH-JKLM-NPQR"), /ABCD/);
  });
});
