import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outboundLookup, type Resolve } from "@/lib/protocol/net/outbound-url";
import { probeTlsEndpoint } from "@/lib/protocol/tls/probe-tls-endpoint";
import { endpointInputSchema, ENDPOINT_POLICY, parseWatchedAddress } from "./endpoint-input";

describe("watched addresses", () => {
  it("reads host:port as operators write it, port 443 by default", () => {
    assert.deepEqual(parseWatchedAddress("shop.example.com:8443"), { host: "shop.example.com", port: 8443 });
    assert.deepEqual(parseWatchedAddress(" Shop.Example.com "), { host: "shop.example.com", port: 443 });
    assert.deepEqual(parseWatchedAddress("[2001:db8::1]:443"), { host: "2001:db8::1", port: 443 });
    assert.deepEqual(parseWatchedAddress("web1"), { host: "web1", port: 443 });
  });

  it("watches private, loopback and documentation addresses: the operator typed them on purpose", () => {
    for (const address of ["10.0.0.5:443", "192.168.1.10:8443", "172.16.0.1", "127.0.0.1:443", "[::1]:443", "[fd00::5]:443", "localhost:8443", "100.64.0.1"]) {
      assert.doesNotThrow(() => parseWatchedAddress(address), address);
    }
  });

  it("refuses metadata, link-local, multicast and unspecified addresses on the address field", () => {
    const refused = (address: string) => {
      try {
        parseWatchedAddress(address);
      } catch (error) {
        const { fieldErrors } = error as { fieldErrors: Record<string, string[]> };
        return fieldErrors.address[0];
      }
      assert.fail(`${address} was accepted`);
    };
    assert.equal(refused("169.254.169.254:443"), "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.");
    assert.match(refused("169.254.10.1:443"), /it is a link-local address \(169\.254\.0\.0\/16\)/);
    assert.match(refused("[fe80::1]:443"), /link-local/);
    assert.match(refused("[fd00:ec2::254]:443"), /cloud metadata address \(AWS\)/);
    assert.match(refused("224.0.0.1:443"), /multicast/);
    assert.match(refused("0.0.0.0:443"), /unspecified/);
    assert.match(refused("metadata.google.internal"), /cloud metadata service/);
    assert.match(refused("[::ffff:169.254.169.254]:443"), /metadata/);
    assert.match(refused("shop.example.com:0"), /port must be a number from 1 to 65535/);
    assert.match(refused("https://shop.example.com/"), /.+/);
    assert.match(refused("shop example.com"), /not a host name or an IP address/);
  });

  it("refuses a name that resolves to a metadata address at probe time, in plain words, without connecting", async () => {
    const resolve: Resolve = (_hostname, _options, callback) => callback(null, [{ address: "169.254.169.254", family: 4 }]);
    const result = await probeTlsEndpoint({ host: "meta.example.test", port: 443, lookup: outboundLookup(ENDPOINT_POLICY, resolve), connectTimeoutMs: 2000 });
    assert.equal(result.status, "unreachable");
    assert.equal(result.message, "CertDeck does not connect to meta.example.test: it resolves to 169.254.169.254, a cloud metadata address.");
    assert.equal(result.served, null);
  });

  it("checks the server name (SNI), CA bundle and label", () => {
    const fields = (input: Record<string, unknown>) => {
      const parsed = endpointInputSchema.safeParse({ address: "shop.example.com", ...input });
      return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    };
    assert.deepEqual(fields({ serverName: "WWW.Example.com.", label: "Shop", caBundlePem: "", certificateId: "" }), {});
    assert.equal(endpointInputSchema.parse({ address: "x", serverName: "WWW.Example.com." }).serverName, "www.example.com");
    assert.equal(endpointInputSchema.parse({ address: "x", serverName: "", certificateId: "" }).certificateId, null);
    assert.match(fields({ serverName: "10.0.0.1" }).serverName, /SNI carries names only/);
    assert.match(fields({ serverName: "*.example.com" }).serverName, /a client never sends a wildcard/);
    assert.match(fields({ serverName: "shop_example.com" }).serverName, /is not a DNS name/);
    assert.match(fields({ caBundlePem: "not a certificate" }).caBundlePem, /Paste the CA's root certificate in PEM form/);
    assert.match(fields({ label: "two\nlines" }).label, /One line/);
    assert.match(fields({ address: "" }).address, /Enter the address/);
  });
});
