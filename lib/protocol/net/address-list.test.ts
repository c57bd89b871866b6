import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAddressInList, parseAddressList } from "./address-list";

describe("metrics allow-list", () => {
  it("reads addresses and CIDR ranges separated by commas, spaces or lines", () => {
    assert.deepEqual(parseAddressList(""), { ok: true, entries: [] });
    assert.deepEqual(parseAddressList("127.0.0.1, 10.0.0.0/8\n::1  fd00::/8"), { ok: true, entries: ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"] });
  });

  it("names every entry it cannot read", () => {
    assert.deepEqual(parseAddressList("10.0.0.0/33, prometheus.local, 10.0.0.1/8/8, ::1/129, 192.168.0.0/x"), {
      ok: false,
      errors: [
        '"10.0.0.0/33": the prefix length after "/" goes from 0 to 32',
        '"prometheus.local" is not an IP address or a CIDR range such as 10.0.0.0/8',
        '"10.0.0.1/8/8" is not an IP address or a CIDR range such as 10.0.0.0/8',
        '"::1/129": the prefix length after "/" goes from 0 to 128',
        '"192.168.0.0/x": the prefix length after "/" goes from 0 to 32',
      ],
    });
  });

  it("matches single addresses and ranges of both families, IPv4-mapped IPv6 included", () => {
    const entries = ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"];
    for (const address of ["127.0.0.1", "10.200.3.4", "::1", "fd12::7", "::ffff:10.1.2.3"]) assert.equal(isAddressInList(entries, address), true, address);
    for (const address of ["127.0.0.2", "11.0.0.1", "::2", "fe80::1", "", "not-an-address"]) assert.equal(isAddressInList(entries, address), false, address);
    assert.equal(isAddressInList([], "127.0.0.1"), false, "empty: token only");
    assert.equal(isAddressInList(["0.0.0.0/0"], "203.0.113.9"), true);
  });
});
