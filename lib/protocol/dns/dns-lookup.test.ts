import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyDnsError, parseResolverList } from "./dns-lookup";

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

describe("classifyDnsError", () => {
  it("tells NXDOMAIN, no data, SERVFAIL, timeouts and refusals apart", () => {
    const code = (errno: string) => classifyDnsError(Object.assign(new Error(errno), { code: errno })).code;
    assert.equal(code("ENOTFOUND"), "nxdomain");
    assert.equal(code("ENODATA"), "nodata");
    assert.equal(code("ESERVFAIL"), "servfail");
    assert.equal(code("ETIMEOUT"), "timeout");
    assert.equal(code("ECONNREFUSED"), "refused");
    assert.equal(code("EREFUSED"), "refused");
    assert.equal(code("EBADRESP"), "error");
  });
});
