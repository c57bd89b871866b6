import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineageDirectoryName } from "./lineage-files";

describe("lineage directory names", () => {
  it("keep DNS names and IPv4 addresses, spell out a wildcard, and write IPv6 colons as hyphens", () => {
    assert.equal(lineageDirectoryName("www.example.com"), "www.example.com");
    assert.equal(lineageDirectoryName("*.example.com"), "_wildcard.example.com");
    assert.equal(lineageDirectoryName("192.0.2.10"), "192.0.2.10");
    assert.equal(lineageDirectoryName("2001:db8::1"), "2001-db8--1");
    assert.equal(lineageDirectoryName("::1"), "--1");
  });
});
