import assert from "node:assert/strict";
import type dns from "node:dns";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import {
  LAB_NETWORK,
  PUBLIC_NETWORK,
  checkOutboundAddress,
  checkOutboundUrl,
  outboundLookup,
  outboundPolicy,
  resolveOutboundHost,
  type OutboundPolicy,
  type Resolve,
} from "./outbound-url";

function refusedWith(run: () => unknown, pattern: RegExp | string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, "invalid_input");
    if (typeof pattern === "string") assert.equal(error.userMessage, pattern);
    else assert.match(error.userMessage, pattern);
    assert.doesNotMatch(error.userMessage, /[\r\n\u0000]/, "no control characters in the message");
    return true;
  });
}

const ALLOWED: Array<[string, OutboundPolicy?]> = [
  ["https://acme-v02.api.letsencrypt.org/directory"],
  ["https://acme.zerossl.com/v2/DV90"],
  ["https://example.com:8443/a/b?c=d#e"],
  ["https://8.8.8.8/"],
  ["https://[2606:4700:4700::1111]/dns-query"],
  ["https://[64:ff9b::808:808]/", undefined], // NAT64 for a public address
  ["https://bücher.example/"], // IDN host, turned into punycode by the parser
  ["https://example.com/%41%42"], // ordinary percent-encoding
  ["http://hooks.example.com/x", { allowHttp: true }],
  ["https://user:secret@hooks.example.com/x", { allowCredentials: true }],
  // The lab opt-in: Pebble on loopback, step-ca on the LAN, http test doubles.
  ["https://127.0.0.1:14000/dir", LAB_NETWORK],
  ["http://127.0.0.1:4001/dir", LAB_NETWORK],
  ["https://[::1]:14000/dir", LAB_NETWORK],
  ["https://localhost:14000/dir", LAB_NETWORK],
  ["https://10.0.0.5/acme/directory", LAB_NETWORK],
  ["https://192.168.1.10:9000/acme/acme/directory", LAB_NETWORK],
  ["https://[fd12::1]/dir", LAB_NETWORK],
  ["https://127.0.0.1:14000/dir", { allowLoopback: true }],
];

const LAB_HINT = /choose "on my private network or this machine" for the account or channel/;

const REFUSED: Array<[string, RegExp | string, OutboundPolicy?]> = [
  // Schemes
  ["http://example.com/", "CertDeck connects only to https:// URLs here; example.com was given with http://, which sends everything in clear."],
  ["ftp://example.com/", "CertDeck connects only to https:// URLs; this one starts with ftp://."],
  ["file:///etc/passwd", /starts with file:\/\//],
  ["javascript:alert(1)", /starts with javascript:\/\//],
  ["gopher://example.com:25/", /starts with gopher:/],
  ["not a url", /spaces or invisible characters/],
  ["example.com/directory", /is not a URL/],
  ["", "Enter a URL."],
  // Credentials
  ["https://user:secret@example.com/", /user name or password/],
  ["https://user@example.com/", /user name or password/],
  // Control and invisible characters, raw and encoded (the parser would drop raw CR, LF and TAB silently)
  ["https://example.com/\r\nHost: evil.example", /control character/],
  ["https://exa\nmple.com/", /control character/],
  ["https://exa\tmple.com/", /control character/],
  ["https://example.com/\u0000", /control character/],
  ["https://example.com/\u0085", /control character/],
  ["https://example.com/%0d%0aSet-Cookie:%20x", /encoded control character/],
  ["https://example.com/%00", /encoded control character/],
  ["https://exa\u200bmple.com/", /invisible characters/],
  ["https://example.com/\u202e", /invisible characters/],
  [`https://example.com/${"a".repeat(3000)}`, /at most 2048/],
  // Loopback in every spelling
  ["https://127.0.0.1/", /^CertDeck does not connect to 127\.0\.0\.1: it is a loopback address \(127\.0\.0\.0\/8\)\. /],
  ["https://2130706433/", /does not connect to 127\.0\.0\.1: it is a loopback address/],
  ["https://0177.0.0.1/", /does not connect to 127\.0\.0\.1: it is a loopback address/],
  ["https://0x7f.1/", /does not connect to 127\.0\.0\.1: it is a loopback address/],
  ["https://0x7f000001/", /does not connect to 127\.0\.0\.1/],
  ["https://017700000001/", /does not connect to 127\.0\.0\.1/],
  ["https://127.1/", /does not connect to 127\.0\.0\.1/],
  ["https://127.000.000.001/", /does not connect to 127\.0\.0\.1/],
  ["https://１２７.0.0.1/", /does not connect to 127\.0\.0\.1/], // fullwidth digits
  ["https://[::1]/", /does not connect to ::1: it is the loopback address\./],
  ["https://[0:0:0:0:0:0:0:1]/", /does not connect to ::1/],
  ["https://[::ffff:7f00:1]/", /does not connect to ::ffff:7f00:1: it is an IPv4-mapped address for 127\.0\.0\.1, a loopback address/],
  ["https://[::ffff:127.0.0.1]/", /does not connect to ::ffff:7f00:1: it is an IPv4-mapped address for 127\.0\.0\.1/],
  ["https://[64:ff9b::7f00:1]/", /a NAT64 address for 127\.0\.0\.1, a loopback address/],
  ["https://[64:ff9b::10.1.2.3]/", /a NAT64 address for 10\.1\.2\.3, a private network address/],
  ["https://[2002:7f00:1::1]/", /a 6to4 address for 127\.0\.0\.1/],
  ["https://[::127.0.0.1]/", /an obsolete IPv4-compatible address/],
  ["https://localhost/", /does not connect to localhost: it is this machine itself \(loopback\)/],
  ["https://LOCALHOST./", /does not connect to localhost: it is this machine itself/],
  ["https://api.localhost/", /does not connect to api\.localhost: it is this machine itself/],
  ["https://127.0.0.1/", LAB_HINT],
  // Cloud metadata
  ["http://169.254.169.254/latest/meta-data/", /connects only to https/],
  ["https://169.254.169.254/latest/meta-data/", "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address."],
  ["https://169.254.169.254/", "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.", LAB_NETWORK],
  ["https://2852039166/", "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address."],
  ["https://0xa9.0xfe.0xa9.0xfe/", /169\.254\.169\.254: it is a cloud metadata address/],
  ["https://[::ffff:a9fe:a9fe]/", /an IPv4-mapped address for 169\.254\.169\.254, a cloud metadata address/],
  ["https://[fd00:ec2::254]/latest/meta-data/", "CertDeck does not connect to fd00:ec2::254: it is a cloud metadata address (AWS).", LAB_NETWORK],
  ["https://100.100.100.200/", /cloud metadata address \(Alibaba Cloud\)/, LAB_NETWORK],
  [
    "https://metadata.google.internal/computeMetadata/v1/",
    "CertDeck does not connect to metadata.google.internal: it is a cloud metadata service.",
    LAB_NETWORK,
  ],
  ["https://METADATA.google.internal./", /metadata\.google\.internal: it is a cloud metadata service/],
  ["https://metadata/", /metadata: it is a cloud metadata service/, LAB_NETWORK],
  // Link-local, multicast, unspecified, broadcast, reserved: never, not even in a lab
  ["https://169.254.1.1/", /it is a link-local address \(169\.254\.0\.0\/16\)\.$/, LAB_NETWORK],
  ["https://[fe80::1]/", /fe80::1: it is a link-local address \(fe80::\/10\)\.$/, LAB_NETWORK],
  ["https://[fe80::1%25eth0]/", /is not a URL/],
  ["https://224.0.0.1/", /it is a multicast address \(224\.0\.0\.0\/4\)\.$/, LAB_NETWORK],
  ["https://[ff02::1]/", /it is a multicast address/, LAB_NETWORK],
  ["https://0.0.0.0/", /0\.0\.0\.0: it is the unspecified address/, LAB_NETWORK],
  ["https://0/", /0\.0\.0\.0: it is the unspecified address/, LAB_NETWORK],
  ["https://[::]/", /::: it is the unspecified address/, LAB_NETWORK],
  ["https://255.255.255.255/", /it is the broadcast address\.$/, LAB_NETWORK],
  ["https://4294967295/", /255\.255\.255\.255: it is the broadcast address/, LAB_NETWORK],
  ["https://240.0.0.1/", /it is a reserved address/, LAB_NETWORK],
  // Private ranges without the opt-in
  ["https://10.0.0.1/", /it is a private network address \(10\.0\.0\.0\/8\)/],
  ["https://172.16.5.4/", /private network address \(172\.16\.0\.0\/12\)/],
  ["https://192.168.1.1/", /private network address \(192\.168\.0\.0\/16\)/],
  ["https://100.64.0.1/", /carrier-grade NAT address/],
  ["https://[fc00::1]/", /unique-local address/],
  ["https://[fd12:3456::1]/", /unique-local address/],
  ["https://192.0.2.1/", /reserved for documentation/],
  ["https://127.0.0.1/", /loopback/, { allowPrivate: true }],
  ["https://10.0.0.1/", /private network/, { allowLoopback: true }],
  // Port 0
  ["https://example.com:0/", /Port 0/],
];

describe("checkOutboundUrl: allowed", () => {
  for (const [input, policy] of ALLOWED) {
    it(`allows ${input}${policy ? ` with ${JSON.stringify(policy)}` : ""}`, () => {
      const url = checkOutboundUrl(input, policy);
      assert.ok(url instanceof URL);
    });
  }
  it("returns the parsed, normalised URL", () => {
    assert.equal(checkOutboundUrl("https://BÜCHER.example/dir").hostname, "xn--bcher-kva.example");
    assert.equal(checkOutboundUrl("https://Example.COM./dir").href, "https://example.com./dir");
  });
});

describe("checkOutboundUrl: refused", () => {
  for (const [input, expected, policy] of REFUSED) {
    it(`refuses ${JSON.stringify(input.length > 60 ? `${input.slice(0, 40)}…` : input)}${policy ? ` with ${JSON.stringify(policy)}` : ""}`, () => {
      refusedWith(() => checkOutboundUrl(input, policy), expected);
    });
  }

  it("names the field when the policy has one", () => {
    assert.throws(
      () => checkOutboundUrl("https://169.254.169.254/", { field: "directoryUrl" }),
      (error: AppError) => {
        assert.deepEqual(error.fieldErrors, { directoryUrl: ["CertDeck does not connect to 169.254.169.254: it is a cloud metadata address."] });
        assert.equal(error.reason, "outbound-url");
        assert.equal(error.isRetryable, false);
        return true;
      },
    );
  });

  it("uses the caller's hint for what the lab opt-in would allow, and none for what it would not", () => {
    const policy = { labHint: "Turn on the lab CA setting." };
    refusedWith(
      () => checkOutboundUrl("https://127.0.0.1/", policy),
      "CertDeck does not connect to 127.0.0.1: it is a loopback address (127.0.0.0/8). Turn on the lab CA setting.",
    );
    refusedWith(() => checkOutboundUrl("https://169.254.169.254/", policy), "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.");
  });
});

describe("outboundPolicy", () => {
  it("is public and https-only without the lab opt-in, and allows loopback, private and http with it", () => {
    assert.deepEqual(outboundPolicy(false), {});
    assert.deepEqual(outboundPolicy(false, { field: "url" }), { field: "url" });
    assert.deepEqual(outboundPolicy(true), { allowLoopback: true, allowPrivate: true, allowHttp: true });
    assert.deepEqual(outboundPolicy(true, { allowHttp: false }), { allowLoopback: true, allowPrivate: true, allowHttp: false });
    assert.deepEqual(PUBLIC_NETWORK, {});
  });
});

/** A resolver stub: the answers for each name, in turn (the last one repeats). */
function stubResolver(answers: Record<string, string[][]>): Resolve & { calls: string[] } {
  const calls: string[] = [];
  const resolve = ((
    hostname: string,
    _options: dns.LookupAllOptions,
    callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
  ) => {
    calls.push(hostname);
    const list = answers[hostname];
    if (!list) {
      process.nextTick(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []));
      return;
    }
    const seen = calls.filter((name) => name === hostname).length;
    const addresses = list[Math.min(seen, list.length) - 1];
    process.nextTick(() =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
      ),
    );
  }) as Resolve & { calls: string[] };
  resolve.calls = calls;
  return resolve;
}

function lookup(
  policy: OutboundPolicy,
  resolve: Resolve,
  hostname: string,
  all: boolean,
): Promise<{ error: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number }> {
  return new Promise((done) => outboundLookup(policy, resolve)(hostname, { all }, (error, address, family) => done({ error, address, family })));
}

describe("outboundLookup: every resolved address is checked at connect time", () => {
  const resolve = stubResolver({
    "public.example": [["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]],
    "mixed.example": [["93.184.215.14", "127.0.0.1"]],
    "metadata.example": [["169.254.169.254"]],
    "mapped.example": [["::ffff:127.0.0.1"]],
    "lan.example": [["10.1.2.3"]],
    // DNS rebinding: public when the form was saved, loopback when the job connects.
    "rebind.example": [["93.184.215.14"], ["127.0.0.1"]],
  });

  it("passes a name whose addresses are all public, in both callback shapes", async () => {
    const all = await lookup(PUBLIC_NETWORK, resolve, "public.example", true);
    assert.equal(all.error, null);
    assert.deepEqual(all.address, [
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
    const one = await lookup(PUBLIC_NETWORK, resolve, "public.example", false);
    assert.equal(one.error, null);
    assert.equal(one.address, "93.184.215.14");
    assert.equal(one.family, 4);
  });

  it("refuses a name when any one of its addresses is refused", async () => {
    const { error } = await lookup(PUBLIC_NETWORK, resolve, "mixed.example", true);
    assert.ok(error instanceof AppError);
    assert.equal(
      error.userMessage,
      `CertDeck does not connect to mixed.example: it resolves to 127.0.0.1, a loopback address (127.0.0.0/8). ${`Only a lab setup (a test CA such as Pebble, or a server on this network) lives there: choose "on my private network or this machine" for the account or channel to allow it.`}`,
    );
  });

  it("refuses names that resolve to metadata, IPv4-mapped loopback or private addresses", async () => {
    const metadata = await lookup(LAB_NETWORK, resolve, "metadata.example", true);
    assert.equal(
      (metadata.error as AppError).userMessage,
      "CertDeck does not connect to metadata.example: it resolves to 169.254.169.254, a cloud metadata address.",
    );
    const mapped = await lookup(PUBLIC_NETWORK, resolve, "mapped.example", false);
    assert.match((mapped.error as AppError).userMessage, /mapped\.example: it resolves to ::ffff:7f00:1, an IPv4-mapped address for 127\.0\.0\.1/);
    const lan = await lookup(PUBLIC_NETWORK, resolve, "lan.example", true);
    assert.match((lan.error as AppError).userMessage, /lan\.example: it resolves to 10\.1\.2\.3, a private network address/);
    assert.equal((await lookup(LAB_NETWORK, resolve, "lan.example", true)).error, null);
  });

  it("checks again on every connection: a rebinding name is refused when it turns to loopback", async () => {
    // The URL check does not resolve names; the first connection sees a public address …
    checkOutboundUrl("https://rebind.example/dir");
    assert.equal((await lookup(PUBLIC_NETWORK, resolve, "rebind.example", true)).error, null);
    // … the next one sees 127.0.0.1 and is refused.
    const second = await lookup(PUBLIC_NETWORK, resolve, "rebind.example", true);
    assert.match((second.error as AppError).userMessage, /rebind\.example: it resolves to 127\.0\.0\.1/);
  });

  it("checks an address literal without resolving it", async () => {
    const before = resolve.calls.length;
    const { error } = await lookup(PUBLIC_NETWORK, resolve, "169.254.169.254", true);
    assert.equal((error as AppError).userMessage, "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.");
    assert.equal(resolve.calls.length, before);
  });

  it("passes DNS errors through with their code", async () => {
    const { error } = await lookup(PUBLIC_NETWORK, resolve, "missing.example", true);
    assert.equal(error?.code, "ENOTFOUND");
  });

  it("resolveOutboundHost gives the checked addresses for clients that connect to an address (SSH, SMTP)", async () => {
    assert.deepEqual(await resolveOutboundHost("public.example", PUBLIC_NETWORK, resolve), [
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
    assert.deepEqual(await resolveOutboundHost("[::1]", LAB_NETWORK, resolve), [{ address: "::1", family: 6 }]);
    await assert.rejects(resolveOutboundHost("[::1]", PUBLIC_NETWORK, resolve), { userMessage: /::1: it is the loopback address/ });
    await assert.rejects(resolveOutboundHost("metadata.example", LAB_NETWORK, resolve), { code: "invalid_input" });
  });
});

describe("checkOutboundAddress", () => {
  it("throws for refused addresses and names the name it came from", () => {
    assert.doesNotThrow(() => checkOutboundAddress("8.8.8.8"));
    refusedWith(() => checkOutboundAddress("fe80::1", LAB_NETWORK), "CertDeck does not connect to fe80::1: it is a link-local address (fe80::/10).");
    refusedWith(
      () => checkOutboundAddress("10.0.0.1", PUBLIC_NETWORK, "ca.corp.example"),
      /^CertDeck does not connect to ca\.corp\.example: it resolves to 10\.0\.0\.1, a private network address/,
    );
  });
});
