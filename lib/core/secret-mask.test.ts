import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskSecret } from "./secret-mask";

describe("maskSecret", () => {
  it("shows the last four characters of a long secret", () => {
    assert.equal(maskSecret("dGhpcy1pcy1hLWxvbmctc2VjcmV0"), "••••cmV0");
    assert.equal(maskSecret("abcdefghijklm"), "••••jklm");
  });

  it("shows nothing of a secret of 12 characters or fewer", () => {
    for (const secret of ["", "a", "abcd", "abcdefghijkl"]) assert.equal(maskSecret(secret), "••••", JSON.stringify(secret));
  });
});
