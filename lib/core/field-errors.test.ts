import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFieldErrors, prototypeMemberKeysIn } from "./field-errors";

describe("field errors and keys named after Object.prototype members", () => {
  it("finds constructor, __proto__, toString … at any depth, by path", () => {
    const body = JSON.parse(
      '{"names": ["a"], "constructor": 1, "webrootPaths": {"__proto__": {"x": 1}, "a": "/w"}, "list": [{"toString": "x"}], "valueOf": null}',
    );
    assert.deepEqual(prototypeMemberKeysIn(body).sort(), ["constructor", "list.0.toString", "valueOf", "webrootPaths.__proto__"]);
    assert.deepEqual(prototypeMemberKeysIn({ names: ["constructor"], label: "__proto__" }), [], "values are not keys");
    assert.deepEqual(prototypeMemberKeysIn("text"), []);
  });

  it("walks a deeply nested body without overflowing the stack", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}{"constructor": 1}${"]".repeat(100_000)}`);
    assert.equal(prototypeMemberKeysIn(deep).length, 1);
  });

  it("collects messages for such fields as for any other", () => {
    const fields = createFieldErrors();
    fields.add("__proto__", "Unknown field");
    fields.add("constructor", "Unknown field");
    fields.add("constructor", "Unknown field");
    assert.deepEqual(Object.keys(fields), ["__proto__", "constructor"]);
    assert.deepEqual(fields.constructor, ["Unknown field"]);
    assert.equal(Object.getPrototypeOf(fields), null);
  });
});
