import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatEndpointAddress, isDnsName, parseEndpointAddress } from "./endpoint-address";

describe("endpoint addresses", () => {
  it("read IPv4, bracketed and bare IPv6, and DNS names, with the default port when none is given", () => {
    assert.deepEqual(parseEndpointAddress("127.0.0.1:443"), { host: "127.0.0.1", port: 443 });
    assert.deepEqual(parseEndpointAddress("[2001:db8::1]:8443"), { host: "2001:db8::1", port: 8443 });
    assert.deepEqual(parseEndpointAddress("[::1]"), { host: "::1", port: 443 });
    assert.deepEqual(parseEndpointAddress("::1"), { host: "::1", port: 443 });
    assert.deepEqual(parseEndpointAddress(" shop.example:8443 "), { host: "shop.example", port: 8443 });
    assert.deepEqual(parseEndpointAddress("shop.example", 8443), { host: "shop.example", port: 8443 });
  });

  it("refuse ports outside 1–65535 and brackets around something that is not IPv6", () => {
    assert.throws(() => parseEndpointAddress("127.0.0.1:0"), /port must be a number from 1 to 65535/);
    assert.throws(() => parseEndpointAddress("127.0.0.1:70000"), /port must be a number/);
    assert.throws(() => parseEndpointAddress("shop.example:https"), /port must be a number/);
    assert.throws(() => parseEndpointAddress("[shop.example]:443"), /is not an address/);
    assert.throws(() => parseEndpointAddress(":443"), /is not an address/);
  });

  it("write IPv6 in brackets, and tell names (which may go in SNI) from addresses", () => {
    assert.equal(formatEndpointAddress({ host: "::1", port: 443 }), "[::1]:443");
    assert.equal(formatEndpointAddress({ host: "192.0.2.1", port: 443 }), "192.0.2.1:443");
    assert.equal(isDnsName("shop.example"), true);
    assert.equal(isDnsName("192.0.2.1"), false);
    assert.equal(isDnsName("2001:db8::1"), false);
  });
});
