import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addTxtValue, describeTxtRecords, txtRecordNameFor } from "./manual-responder";
import { isSameTxtRecords } from "./manual-state";

const dns = (value: string) => ({ type: "dns" as const, value });

describe("manual DNS records", () => {
  it("puts a wildcard and its base name under one TXT name with two values", () => {
    let records = addTxtValue([], { identifier: dns("example.test"), keyAuthorization: "base-value" });
    records = addTxtValue(records, { identifier: dns("example.test"), keyAuthorization: "wildcard-value" });
    records = addTxtValue(records, { identifier: dns("www.example.test"), keyAuthorization: "www-value" });
    assert.deepEqual(records, [
      { name: "_acme-challenge.example.test", values: ["base-value", "wildcard-value"] },
      { name: "_acme-challenge.www.example.test", values: ["www-value"] },
    ]);
    assert.equal(
      describeTxtRecords(records),
      '_acme-challenge.example.test TXT "base-value", "wildcard-value"; _acme-challenge.www.example.test TXT "www-value"',
    );
  });

  it("names the record after the identifier, without a trailing dot", () => {
    assert.equal(txtRecordNameFor({ identifier: dns("Example.test.") }), "_acme-challenge.Example.test");
  });

  it("counts a confirmation only for the same records, in any order and case", () => {
    const shown = [
      { name: "_acme-challenge.example.test", values: ["b", "a"] },
      { name: "_acme-challenge.www.example.test", values: ["c"] },
    ];
    assert.equal(isSameTxtRecords(shown, [{ name: "_acme-challenge.WWW.example.test.", values: ["c"] }, { name: "_acme-challenge.example.test", values: ["a", "b"] }]), true);
    assert.equal(isSameTxtRecords(shown, [{ name: "_acme-challenge.example.test", values: ["a", "b"] }]), false);
    assert.equal(isSameTxtRecords(shown, [{ name: "_acme-challenge.example.test", values: ["a", "new"] }, { name: "_acme-challenge.www.example.test", values: ["c"] }]), false);
    assert.equal(isSameTxtRecords(undefined, shown), false);
  });
});
