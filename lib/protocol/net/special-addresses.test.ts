import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyAddress, isAllowedAddress, labOptInFor, type AddressCategory } from "./special-addresses";

describe("classifyAddress", () => {
  const table: Array<[string, AddressCategory, string?]> = [
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["2606:4700:4700::1111", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["0:0:0:0:0:0:0:0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["169.254.0.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["2001:2::1", "benchmarking"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["2001::1", "reserved"],
    ["::7f00:1", "reserved"],
    ["100::1", "reserved"],
    // IPv6 carrying an IPv4 address: classified by the IPv4 address.
    ["::ffff:127.0.0.1", "loopback", "127.0.0.1"],
    ["::ffff:7f00:1", "loopback", "127.0.0.1"],
    ["::ffff:169.254.169.254", "metadata", "169.254.169.254"],
    ["::ffff:8.8.8.8", "public", "8.8.8.8"],
    ["64:ff9b::7f00:1", "loopback", "127.0.0.1"],
    ["64:ff9b::10.0.0.1", "private", "10.0.0.1"],
    ["64:ff9b::808:808", "public", "8.8.8.8"],
    ["2002:7f00:1::1", "loopback", "127.0.0.1"],
    ["2002:a9fe:a9fe::", "metadata", "169.254.169.254"],
    ["2002:808:808::1", "public", "8.8.8.8"],
  ];
  for (const [address, category, ipv4] of table) {
    it(`${address} is ${category}`, () => {
      const found = classifyAddress(address);
      assert.ok(found);
      assert.equal(found.category, category);
      assert.equal(found.embedded?.ipv4, ipv4);
    });
  }

  it("is undefined for what is not an address", () => {
    for (const input of ["", "example.com", "2130706433", "0x7f.1", "127.1", "[::1]", "1.2.3.4.5", "::ffff:1.2.3"]) {
      assert.equal(classifyAddress(input), undefined, input);
    }
  });

  it('gives the canonical IPv6 form and a description that reads after "it is"', () => {
    assert.equal(classifyAddress("2001:DB8:0:0:1:0:0:1")?.address, "2001:db8::1:0:0:1");
    assert.equal(classifyAddress("::ffff:127.0.0.1")?.address, "::ffff:7f00:1");
    assert.equal(classifyAddress("169.254.169.254")?.description, "a cloud metadata address");
    assert.equal(classifyAddress("127.0.0.2")?.description, "a loopback address (127.0.0.0/8)");
    assert.equal(classifyAddress("::ffff:127.0.0.1")?.description, "an IPv4-mapped address for 127.0.0.1, a loopback address (127.0.0.0/8)");
    assert.equal(classifyAddress("64:ff9b::a00:1")?.description, "a NAT64 address for 10.0.0.1, a private network address (10.0.0.0/8)");
  });
});

describe("isAllowedAddress and labOptInFor", () => {
  it("allows public addresses always, lab ranges only with their opt-in, the rest never", () => {
    const cases: Array<[string, boolean, boolean, boolean, "loopback" | "private" | undefined]> = [
      // address, allowed with no opt-in, with loopback, with loopback + private, which opt-in
      ["8.8.8.8", true, true, true, undefined],
      ["127.0.0.1", false, true, true, "loopback"],
      ["::1", false, true, true, "loopback"],
      ["10.0.0.1", false, false, true, "private"],
      ["fd12::1", false, false, true, "private"],
      ["192.0.2.1", false, false, true, "private"],
      ["100.64.0.1", false, false, true, "private"],
      ["169.254.169.254", false, false, false, undefined],
      ["fe80::1", false, false, false, undefined],
      ["224.0.0.1", false, false, false, undefined],
      ["0.0.0.0", false, false, false, undefined],
      ["255.255.255.255", false, false, false, undefined],
      ["240.0.0.1", false, false, false, undefined],
    ];
    for (const [address, none, loopback, both, optIn] of cases) {
      const found = classifyAddress(address)!;
      assert.equal(isAllowedAddress(found), none, `${address} without opt-in`);
      assert.equal(isAllowedAddress(found, { allowLoopback: true }), loopback, `${address} with loopback`);
      assert.equal(isAllowedAddress(found, { allowLoopback: true, allowPrivate: true }), both, `${address} with both`);
      assert.equal(labOptInFor(found), optIn, `${address} opt-in`);
    }
  });
});
