import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AddressLookup, RecordLookup } from "@/lib/protocol/dns/dns-client";
import type { HostAddresses } from "@/lib/domain/preflight/host-addresses";
import { checkDnsName, checkIpIdentifier, listAnd } from "./dns-check";

const host: HostAddresses = { ipv4: ["198.51.100.4"], ipv6: [], source: "settings" };
const records = (...values: string[]): RecordLookup<string> => ({ ok: true, records: values });
const failed = (code: "nxdomain" | "nodata" | "servfail" | "timeout" | "refused", errno = code.toUpperCase()): RecordLookup<string> => ({
  ok: false,
  failure: { code, errno },
});
const lookup = (a: RecordLookup<string>, aaaa: RecordLookup<string> = failed("nodata"), cnameChain: string[] = []): AddressLookup => ({
  name: "shop.example.com",
  cnameChain,
  a,
  aaaa,
});
const check = (value: AddressLookup, hostAddresses = host) => checkDnsName(value, hostAddresses, "1.1.1.1");

describe("DNS and host-address wording", () => {
  it("names the A record that points elsewhere and this host's address", () => {
    const [result] = check(lookup(records("203.0.113.9")));
    assert.equal(result.kind, "host-address");
    assert.equal(result.status, "fail");
    assert.equal(result.message, "shop.example.com has A 203.0.113.9, but this host is 198.51.100.4.");
  });

  it("warns when some records point here and some do not", () => {
    const [result] = check(lookup(records("198.51.100.4", "203.0.113.9")));
    assert.equal(result.status, "warn");
    assert.equal(
      result.message,
      "shop.example.com has A 203.0.113.9 besides 198.51.100.4 (this host): the CA may connect to any of them, so validation can fail at random.",
    );
    assert.equal(result.fix, "Remove the A record 203.0.113.9, unless that machine also answers the challenge.");
  });

  it("fails a stale AAAA record when this host has no IPv6, even with a right A record", () => {
    const [a, aaaa] = check(lookup(records("198.51.100.4"), records("2001:db8::7")));
    assert.equal(a.status, "pass");
    assert.equal(a.message, "shop.example.com has A 198.51.100.4: this host.");
    assert.equal(aaaa.status, "fail");
    assert.equal(
      aaaa.message,
      "shop.example.com has AAAA 2001:db8::7, but this host has no public IPv6; Let's Encrypt tries IPv6 first, so validation will fail.",
    );
    assert.equal(aaaa.fix, "Remove the AAAA record or serve the challenge there.");
  });

  it("names this host's IPv6 when it has one", () => {
    const [, aaaa] = check(lookup(records("198.51.100.4"), records("2001:db8::7")), { ...host, ipv6: ["2001:db8::4"] });
    assert.equal(aaaa.message, "shop.example.com has AAAA 2001:db8::7, but this host is 2001:db8::4; Let's Encrypt tries IPv6 first, so validation will fail.");
    const [, same] = check(lookup(records("198.51.100.4"), records("2001:DB8:0::4")), { ...host, ipv6: ["2001:db8::4"] });
    assert.equal(same.status, "pass", "IPv6 spellings are compared canonically");
  });

  it("shows the CNAME chain", () => {
    const [result] = check(lookup(records("203.0.113.9", "203.0.113.10"), failed("nodata"), ["shop.cdn.example.net"]));
    assert.equal(result.message, "shop.example.com (CNAME → shop.cdn.example.net) has A 203.0.113.9 and 203.0.113.10, but this host is 198.51.100.4.");
  });

  it("only warns when the detected addresses are private (maybe behind NAT)", () => {
    const [result] = check(lookup(records("203.0.113.9")), { ipv4: ["10.0.0.5"], ipv6: [], source: "interfaces" });
    assert.equal(result.status, "warn");
    assert.match(result.message, /^shop\.example\.com has A 203\.0\.113\.9, but this host is 10\.0\.0\.5 \(a private address/);
  });

  it("says each DNS failure in its own words", () => {
    const message = (a: RecordLookup<string>, aaaa: RecordLookup<string>) => check(lookup(a, aaaa))[0];
    const nxdomain = message(failed("nxdomain", "ENOTFOUND"), failed("nxdomain", "ENOTFOUND"));
    assert.deepEqual(
      [nxdomain.kind, nxdomain.status, nxdomain.message],
      ["dns", "fail", "shop.example.com does not exist in DNS (NXDOMAIN), so the CA cannot find it."],
    );
    assert.equal(
      nxdomain.fix,
      "Create an A record for shop.example.com pointing at 198.51.100.4 at your DNS provider. New records can take a few minutes to appear.",
    );
    const nodata = message(failed("nodata"), failed("nodata"));
    assert.equal(nodata.message, "shop.example.com exists in DNS but has no A or AAAA record, so the CA has no address to connect to.");
    const servfail = message(failed("servfail"), failed("nodata"));
    assert.equal(servfail.status, "fail");
    assert.match(servfail.message, /answer SERVFAIL/);
    const timeout = message(failed("timeout"), failed("timeout"));
    assert.deepEqual(
      [timeout.status, timeout.message],
      ["warn", "No answer for shop.example.com from 1.1.1.1 (two tries, 9 seconds in all), so CertDeck could not check it."],
    );
    const refused = message(failed("refused", "ECONNREFUSED"), failed("refused", "ECONNREFUSED"));
    assert.deepEqual(
      [refused.status, refused.message],
      ["warn", "The DNS resolver 1.1.1.1 refused the query for shop.example.com, so CertDeck could not check it."],
    );
  });

  it("warns when one address family answers and the other fails", () => {
    const [warning, a] = check(lookup(records("198.51.100.4"), failed("servfail", "ESERVFAIL")));
    assert.equal(warning.status, "warn");
    assert.equal(
      warning.message,
      "The AAAA lookup for shop.example.com failed (ESERVFAIL) while the A lookup worked; the CA may stumble over the same failure.",
    );
    assert.equal(a.status, "pass");
  });

  it("reports a CNAME loop", () => {
    const [result] = check({ ...lookup(failed("servfail"), failed("servfail"), ["a.example.net", "shop.example.com"]), cnameProblem: "loop" });
    assert.equal(result.status, "fail");
    assert.equal(
      result.message,
      "The CNAME records of shop.example.com form a loop (shop.example.com → a.example.net → shop.example.com), so it never reaches an address.",
    );
  });

  it("checks that an IP identifier is this host's", () => {
    assert.equal(checkIpIdentifier({ type: "ip", value: "198.51.100.4" }, host).status, "pass");
    const other = checkIpIdentifier({ type: "ip", value: "203.0.113.9" }, host);
    assert.deepEqual([other.status, other.message], ["fail", "The CA connects to 203.0.113.9 itself, but this host is 198.51.100.4."]);
    assert.equal(
      checkIpIdentifier({ type: "ip", value: "2001:db8::9" }, host).message,
      "The CA connects to 2001:db8::9 itself, but this host has no public IPv6.",
    );
  });

  it("lists with commas and a final and", () => {
    assert.equal(listAnd(["a"]), "a");
    assert.equal(listAnd(["a", "b"]), "a and b");
    assert.equal(listAnd(["a", "b", "c"]), "a, b and c");
  });
});
