import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostileInputs } from "../../../test/support/hostile-inputs";
import { parseNames } from "./names";

/** Whatever comes in, what goes out is either refused with a message or a clean identifier. */
const CLEAN_DNS = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

describe("name validation over generated hostile input", () => {
  const inputs = hostileInputs();
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
        }
      } else {
        assert.ok(result.errors.length > 0);
        for (const error of result.errors) {
          assert.equal(typeof error, "string");
          assert.ok(error.length < 400, "messages stay short, even for 10 kB inputs");
          assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(error), "no raw control characters in messages");
        }
      }
    });
  }
});
