import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isHostName, isServerName } from "./host-name";

describe("host name syntax", () => {
  it("takes names of letters, digits, dashes and underscores, with an optional final dot", () => {
    for (const name of ["ns1.example.com", "_acme-challenge.example.com", "certdeck", "certdeck.", "SMTP.Example.COM", "a".repeat(63) + ".example"]) {
      assert.equal(isHostName(name), true, name);
    }
  });

  it("refuses empty labels, dashes at a label's edge, long labels and long names, and anything else", () => {
    for (const name of [
      "",
      ".",
      "a..b",
      "-a.example",
      "a-.example",
      "a".repeat(64) + ".example",
      `${"a.".repeat(127)}ab`,
      "shop.example.com:443",
      "https://x",
      "a b",
      "ü.example",
    ]) {
      assert.equal(isHostName(name), false, name);
    }
  });

  it("takes no underscore in a name sent as SNI", () => {
    assert.equal(isServerName("www.example.com"), true);
    assert.equal(isServerName("_acme-challenge.example.com"), false);
    assert.equal(isServerName("*.example.com"), false);
  });
});
