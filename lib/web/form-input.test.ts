import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkboxInput, optionalNumberInput, optionalTextInput, readFields, textInput } from "@/lib/web/form-input";

describe("form fields → the commands' input", () => {
  it("reads numbers as typed, empty as not given, anything else as a number the command refuses", () => {
    assert.equal(optionalNumberInput(" 2222 "), 2222);
    assert.equal(optionalNumberInput(""), undefined);
    assert.equal(optionalNumberInput("   "), undefined);
    assert.ok(Number.isNaN(optionalNumberInput("22a")));
  });

  it("passes optional text on as typed, and only spaces or nothing as not given", () => {
    assert.equal(optionalTextInput(" deploy "), " deploy ");
    assert.equal(optionalTextInput("  "), undefined);
    assert.equal(optionalTextInput(undefined), undefined);
    assert.equal(textInput(undefined), "");
  });

  it("reads each field by its own converter, and only the fields named", () => {
    const values = { port: "2222", verify: "on", name: "web-1", other: "x" };
    assert.deepEqual(readFields(values, { port: optionalNumberInput, verify: checkboxInput, missing: checkboxInput, name: textInput }), {
      port: 2222,
      verify: true,
      missing: false,
      name: "web-1",
    });
  });
});
