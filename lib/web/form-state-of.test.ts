import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, GENERIC_ERROR_MESSAGE } from "@/lib/core/app-error";
import { formStateOf } from "@/lib/web/form-state-of";

describe("AppError → form state", () => {
  it("shows a refusal without fields above the form, keeping what was typed", () => {
    assert.deepEqual(formStateOf(new AppError("conflict", "A job is working on it."), { name: "x" }), {
      formError: "A job is working on it.",
      values: { name: "x" },
    });
  });

  it("puts field errors under their inputs: nested paths on their form field, array items as lines", () => {
    const state = formStateOf(
      new AppError("invalid_input", "Fix these fields: names, webrootPaths.", {
        fieldErrors: {
          "names.2": ["not a valid name"],
          "webrootPaths.shop.example.com": ["enter an absolute path"],
          accountId: ["Choose an ACME account"],
        },
      }),
    );
    assert.deepEqual(state.fieldErrors, {
      names: ["Line 3: not a valid name"],
      webrootPaths: ["shop.example.com: enter an absolute path"],
      accountId: ["Choose an ACME account"],
    });
    assert.equal(state.formError, undefined, "the fields say it; no second message above the form");
  });

  it("shows problems with the whole input above the form", () => {
    const state = formStateOf(
      new AppError("invalid_input", "Fix these fields.", { fieldErrors: { "": ["Give a PEM or a PFX file"], password: ["Enter it"] } }),
    );
    assert.equal(state.formError, "Give a PEM or a PFX file");
    assert.deepEqual(state.fieldErrors, { password: ["Enter it"] });
  });

  it("keeps field names such as constructor and __proto__ as ordinary keys", () => {
    const state = formStateOf(new AppError("invalid_input", "x", { fieldErrors: { constructor: ["Unknown field"], toString: ["Unknown field"] } }));
    assert.deepEqual(Object.keys(state.fieldErrors ?? {}), ["constructor", "toString"]);
  });

  it("turns a bug into a generic sentence", () => {
    const original = console.error;
    console.error = () => {};
    try {
      assert.deepEqual(formStateOf(new Error("database is locked")), { formError: GENERIC_ERROR_MESSAGE, values: undefined });
    } finally {
      console.error = original;
    }
  });
});
