import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyDnsFailure, parseResolverList } from "./dns-client";
import { Rcode } from "./wire/dns-message";
import { DnsTransportError } from "./wire/dns-transport";

describe("parseResolverList", () => {
  it("accepts IPv4 and IPv6 resolvers with optional ports", () => {
    assert.deepEqual(parseResolverList("1.1.1.1, 8.8.8.8:53\n127.0.0.1:8053 2001:db8::53 [2001:db8::54]:5353 [::1]"), {
      ok: true,
      servers: ["1.1.1.1", "8.8.8.8:53", "127.0.0.1:8053", "2001:db8::53", "[2001:db8::54]:5353", "::1"],
    });
    assert.deepEqual(parseResolverList("  "), { ok: true, servers: [] }, "empty: the system's resolvers");
  });

  it("refuses host names, bad ports and junk, naming each entry", () => {
    const result = parseResolverList("dns.google, 1.1.1.1:99999, 300.1.1.1, 1.1.1.1");
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.length, 3);
    assert.match(result.errors[0], /^"dns\.google": enter the resolver's IP address/);
    assert.match(result.errors[1], /^"1\.1\.1\.1:99999"/);
    assert.match(result.errors[2], /^"300\.1\.1\.1"/);
  });
});

describe("classifyDnsFailure", () => {
  it("tells NXDOMAIN, no data, SERVFAIL, timeouts and refusals apart", () => {
    const code = (outcome: Parameters<typeof classifyDnsFailure>[0]) => classifyDnsFailure(outcome).code;
    const unanswered = (problem: DnsTransportError["problem"]) => new DnsTransportError(problem, problem);
    assert.equal(code({ rcode: Rcode.NXDOMAIN }), "nxdomain");
    assert.equal(code({ rcode: Rcode.NOERROR }), "nodata", "NOERROR without records of the type");
    assert.equal(code({ rcode: Rcode.SERVFAIL }), "servfail");
    assert.equal(code(unanswered("timeout")), "timeout");
    assert.equal(code(unanswered("refused")), "refused", "nothing listens (connection refused)");
    assert.equal(code({ rcode: Rcode.REFUSED }), "refused", "the resolver answers REFUSED");
    assert.equal(code(unanswered("malformed")), "error");
    assert.equal(code({ rcode: Rcode.NOTIMP }), "error");
  });

  it("names what happened for the detail", () => {
    assert.deepEqual(classifyDnsFailure({ rcode: Rcode.SERVFAIL }), { code: "servfail", errno: "SERVFAIL" });
    assert.deepEqual(classifyDnsFailure(new DnsTransportError("timeout", "no answer")), { code: "timeout", errno: "ETIMEDOUT" });
    assert.deepEqual(classifyDnsFailure({ rcode: Rcode.FORMERR }), { code: "error", errno: "FORMERR" });
  });
});
