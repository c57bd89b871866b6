import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalIPv6, isIpAddress, normalizeIpAddress } from "./ip-address";

describe("IP addresses", () => {
  it("tells addresses from names and junk", () => {
    for (const address of ["192.0.2.1", "2001:db8::1", "::1", "::ffff:192.0.2.1"]) assert.equal(isIpAddress(address), true, address);
    for (const text of ["", "300.1.1.1", "01.2.3.4", "1.2.3", "ns1.example.com", "[::1]", "192.0.2.1:53"]) assert.equal(isIpAddress(text), false, text);
  });

  it("writes every IPv6 address one way", () => {
    assert.equal(canonicalIPv6("2001:DB8:0::1"), "2001:db8::1");
    assert.equal(canonicalIPv6("2001:0db8:0000:0000:0000:0000:0000:0053"), "2001:db8::53");
    assert.equal(canonicalIPv6("2001:db8:1:0:1:0:0:1"), "2001:db8:1:0:1::1", "the longest run of zeros becomes ::");
    assert.equal(canonicalIPv6("::ffff:192.0.2.1"), "::ffff:c000:201", "an IPv4-mapped address stays IPv6");
    assert.equal(canonicalIPv6("FE80::1%eth0"), "fe80::1%eth0", "a zone is kept, lower-cased");
    assert.equal(canonicalIPv6("not-an-address"), "not-an-address");
  });

  it("normalizes a peer address: IPv4-mapped IPv6 as IPv4, IPv6 canonical, junk as null", () => {
    assert.equal(normalizeIpAddress("::ffff:10.0.0.1"), "10.0.0.1");
    assert.equal(normalizeIpAddress("::FFFF:10.0.0.1"), "10.0.0.1");
    assert.equal(normalizeIpAddress(" 203.0.113.7 "), "203.0.113.7");
    assert.equal(normalizeIpAddress("2001:DB8:0::1"), "2001:db8::1");
    assert.equal(normalizeIpAddress("unknown"), null);
    assert.equal(normalizeIpAddress(""), null);
    assert.equal(normalizeIpAddress(null), null);
  });
});
