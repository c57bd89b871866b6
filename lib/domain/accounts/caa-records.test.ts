import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { caaExampleDomain, caaRecordsFor } from "./caa-records";

describe("caaRecordsFor", () => {
  it("writes one issue record per CAA identity of the directory", () => {
    assert.deepEqual(
      caaRecordsFor("example.com", ["letsencrypt.org"]).map((example) => example.record),
      ['example.com. CAA 0 issue "letsencrypt.org"'],
    );
    assert.deepEqual(
      caaRecordsFor("shop.example.com.", ["sectigo.com", "zerossl.com"]).map((example) => example.record),
      ['shop.example.com. CAA 0 issue "sectigo.com"', 'shop.example.com. CAA 0 issue "zerossl.com"'],
    );
  });

  it("adds the form bound to the registered account (RFC 8657 accounturi)", () => {
    const records = caaRecordsFor("example.com", ["letsencrypt.org"], "https://acme-v02.api.letsencrypt.org/acme/acct/123");
    assert.equal(records[1].record, 'example.com. CAA 0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/123"');
    assert.match(records[1].meaning, /only this ACME account/);
  });

  it("writes nothing for a directory without CAA identities", () => {
    assert.deepEqual(caaRecordsFor("example.com", [], "https://ca/acct/1"), []);
  });
});

describe("caaExampleDomain", () => {
  it("uses a DNS name of the account's certificates, without a wildcard label, else example.com", () => {
    assert.equal(
      caaExampleDomain([
        { type: "ip", value: "192.0.2.1" },
        { type: "dns", value: "*.shop.example.net" },
      ]),
      "shop.example.net",
    );
    assert.equal(caaExampleDomain([{ type: "ip", value: "192.0.2.1" }]), "example.com");
    assert.equal(caaExampleDomain([]), "example.com");
  });
});
