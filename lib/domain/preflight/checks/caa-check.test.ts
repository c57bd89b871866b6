import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CaaRecord } from "@/lib/protocol/dns/dns-client";
import { caaLookupNames, describeCaaAuthority, describeCaaCheck, evaluateCaaSet, parseCaaValue, type CaaAuthority } from "./caa-check";

const issue = (value: string, flags = 0): CaaRecord => ({ flags, tag: "issue", value });
const issuewild = (value: string, flags = 0): CaaRecord => ({ flags, tag: "issuewild", value });
const LE = { identities: ["letsencrypt.org"], isWildcard: false };
const letsEncrypt: CaaAuthority = {
  ok: true,
  identities: ["letsencrypt.org"],
  label: "Let's Encrypt (letsencrypt.org)",
  accountUrl: "https://acme-v02.api.letsencrypt.org/acme/acct/123",
};

describe("parseCaaValue", () => {
  it("reads the issuer and its parameters", () => {
    assert.deepEqual(parseCaaValue("letsencrypt.org; validationmethods=http-01"), { issuer: "letsencrypt.org", parameters: { validationmethods: "http-01" } });
    assert.deepEqual(parseCaaValue(" LetsEncrypt.org. ;accounturi=https://a/acct/1 ; validationmethods = dns-01,http-01"), {
      issuer: "letsencrypt.org",
      parameters: { accounturi: "https://a/acct/1", validationmethods: "dns-01,http-01" },
    });
  });

  it("reads an empty issuer as null", () => {
    assert.deepEqual(parseCaaValue(";"), { issuer: null, parameters: {} });
    assert.deepEqual(parseCaaValue(""), { issuer: null, parameters: {} });
  });
});

describe("evaluateCaaSet", () => {
  it("allows the CA an issue record names", () => {
    assert.deepEqual(evaluateCaaSet([issue("digicert.com"), issue("letsencrypt.org")], LE), { outcome: "allowed", record: issue("letsencrypt.org") });
  });

  it("forbids when only other CAs are named", () => {
    const verdict = evaluateCaaSet([issue("digicert.com")], LE);
    assert.equal(verdict.outcome, "forbidden");
  });

  it("treats an empty issuer as allowing no CA at all", () => {
    const verdict = evaluateCaaSet([issue(";")], LE);
    assert.deepEqual(verdict, { outcome: "forbidden", records: [issue(";")], restrictions: [], isEmptyIssuerOnly: true });
    assert.equal(evaluateCaaSet([issue(";")], { identities: [], isWildcard: false }).outcome, "forbidden", "no CA identity needed to tell");
  });

  it("uses issuewild for wildcards, falling back to issue", () => {
    const records = [issue("letsencrypt.org"), issuewild(";")];
    assert.equal(evaluateCaaSet(records, LE).outcome, "allowed", "a normal name ignores issuewild");
    assert.equal(evaluateCaaSet(records, { ...LE, isWildcard: true }).outcome, "forbidden");
    assert.equal(evaluateCaaSet([issue("letsencrypt.org")], { ...LE, isWildcard: true }).outcome, "allowed", "no issuewild: issue decides");
    assert.equal(evaluateCaaSet([issue(";"), issuewild("letsencrypt.org")], { ...LE, isWildcard: true }).outcome, "allowed");
  });

  it("sets no policy when no issue property applies", () => {
    assert.deepEqual(evaluateCaaSet([{ flags: 0, tag: "iodef", value: "mailto:ops@example.com" }], LE), { outcome: "no-policy" });
    assert.deepEqual(evaluateCaaSet([issuewild("digicert.com")], LE), { outcome: "no-policy" }, "issuewild alone does not restrict normal names");
  });

  it("honours validationmethods", () => {
    assert.equal(evaluateCaaSet([issue("letsencrypt.org; validationmethods=http-01")], LE).outcome, "allowed");
    assert.equal(evaluateCaaSet([issue("letsencrypt.org; validationmethods=dns-01,http-01")], LE).outcome, "allowed");
    assert.deepEqual(evaluateCaaSet([issue("letsencrypt.org; validationmethods=dns-01")], LE), {
      outcome: "forbidden",
      records: [issue("letsencrypt.org; validationmethods=dns-01")],
      restrictions: [{ parameter: "validationmethods", value: "dns-01" }],
      isEmptyIssuerOnly: false,
    });
  });

  it("honours accounturi", () => {
    const accountUrl = "https://acme-v02.api.letsencrypt.org/acme/acct/123";
    assert.equal(evaluateCaaSet([issue(`letsencrypt.org; accounturi=${accountUrl}`)], { ...LE, accountUrl }).outcome, "allowed");
    const other = evaluateCaaSet([issue("letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/999")], { ...LE, accountUrl });
    assert.equal(other.outcome, "forbidden");
  });

  it("refuses on an unknown property marked critical, not on a known one", () => {
    const unknown = { flags: 128, tag: "tbs", value: "x" };
    assert.deepEqual(evaluateCaaSet([issue("letsencrypt.org"), unknown], LE), { outcome: "unknown-critical", record: unknown });
    assert.equal(evaluateCaaSet([issue("letsencrypt.org", 128)], LE).outcome, "allowed");
    assert.equal(evaluateCaaSet([issue("letsencrypt.org"), { flags: 0, tag: "tbs", value: "x" }], LE).outcome, "allowed", "not critical: ignored");
  });

  it("cannot tell without the CA's identities", () => {
    assert.equal(evaluateCaaSet([issue("digicert.com")], { identities: [], isWildcard: false }).outcome, "unknown-ca");
  });

  it("matches issuer names case-insensitively and without a trailing dot", () => {
    assert.equal(evaluateCaaSet([issue("LetsEncrypt.ORG.")], LE).outcome, "allowed");
  });
});

describe("caaLookupNames", () => {
  it("climbs from the name to the top-level domain", () => {
    assert.deepEqual(caaLookupNames("shop.corp.example.com"), ["shop.corp.example.com", "corp.example.com", "example.com", "com"]);
    assert.deepEqual(caaLookupNames("*.example.com"), ["example.com", "com"]);
  });
});

describe("describeCaaCheck wording", () => {
  it("names the record, the domain it sits on and the CA", () => {
    const check = describeCaaCheck("shop.example.com", { found: true, domain: "example.com", records: [issue("digicert.com")] }, letsEncrypt);
    assert.equal(check.status, "fail");
    assert.equal(check.message, 'example.com has CAA 0 issue "digicert.com": it does not allow Let\'s Encrypt (letsencrypt.org).');
    assert.equal(check.fix, 'Add 0 issue "letsencrypt.org" to the CAA records of example.com (keep the others if you still use those CAs).');
  });

  it("suggests issuewild for a wildcard", () => {
    const check = describeCaaCheck(
      "*.example.com",
      { found: true, domain: "example.com", records: [issue("letsencrypt.org"), issuewild("digicert.com")] },
      letsEncrypt,
    );
    // Only the records that decide are named: issuewild, for a wildcard.
    assert.equal(check.message, 'example.com has CAA 0 issuewild "digicert.com": it does not allow Let\'s Encrypt (letsencrypt.org).');
    assert.match(check.fix ?? "", /^Add 0 issuewild "letsencrypt\.org"/);
  });

  it("says an empty issuer forbids every CA", () => {
    const check = describeCaaCheck("example.com", { found: true, domain: "example.com", records: [issue(";")] }, letsEncrypt);
    assert.equal(check.message, 'example.com has CAA 0 issue ";": no CA may issue for it.');
    assert.equal(check.fix, 'Replace it with 0 issue "letsencrypt.org".');
  });

  it("explains a validationmethods restriction", () => {
    const check = describeCaaCheck(
      "example.com",
      { found: true, domain: "example.com", records: [issue("letsencrypt.org; validationmethods=dns-01")] },
      letsEncrypt,
    );
    assert.equal(
      check.message,
      'example.com has CAA 0 issue "letsencrypt.org; validationmethods=dns-01": it allows Let\'s Encrypt (letsencrypt.org) only with validationmethods=dns-01, and CertDeck validates with http-01.',
    );
  });

  it("passes without CAA records, and with records that allow the CA", () => {
    assert.deepEqual(describeCaaCheck("example.com", { found: false }, null), {
      kind: "caa",
      identifier: "example.com",
      status: "pass",
      message: "No CAA records for example.com or its parent domains: any CA may issue.",
    });
    const allowed = describeCaaCheck("www.example.com", { found: true, domain: "example.com", records: [issue("letsencrypt.org")] }, letsEncrypt);
    assert.equal(allowed.status, "pass");
    assert.equal(allowed.message, 'example.com has CAA 0 issue "letsencrypt.org": it allows Let\'s Encrypt (letsencrypt.org).');
  });

  it("fails on SERVFAIL and warns when the lookup times out", () => {
    const servfail = describeCaaCheck("example.com", { found: false, domain: "example.com", failure: { code: "servfail", errno: "ESERVFAIL" } }, null);
    assert.equal(servfail.status, "fail");
    const timeout = describeCaaCheck("example.com", { found: false, domain: "example.com", failure: { code: "timeout", errno: "ETIMEOUT" } }, null);
    assert.equal(timeout.status, "warn");
  });

  it("warns when the CA's identity is unknown or its directory unreadable", () => {
    const records = [issue("digicert.com")];
    const unknown = describeCaaCheck(
      "example.com",
      { found: true, domain: "example.com", records },
      { ok: true, identities: [], label: "the CA at ca.internal", accountUrl: null },
    );
    assert.equal(unknown.status, "warn");
    const unreadable = describeCaaCheck(
      "example.com",
      { found: true, domain: "example.com", records },
      { ok: false, error: "The CA at ca.internal refused the connection." },
    );
    assert.equal(unreadable.status, "warn");
    assert.equal(unreadable.fix, "The CA at ca.internal refused the connection.");
  });
});

describe("describeCaaAuthority", () => {
  it("names known CAs and falls back to the directory's host", () => {
    assert.equal(describeCaaAuthority(["letsencrypt.org"], "acme-v02.api.letsencrypt.org"), "Let's Encrypt (letsencrypt.org)");
    assert.equal(describeCaaAuthority(["pebble.test"], "127.0.0.1"), "the CA at 127.0.0.1 (pebble.test)");
    assert.equal(describeCaaAuthority([], "127.0.0.1"), "the CA at 127.0.0.1");
  });
});
