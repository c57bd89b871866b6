import { describe, it } from "node:test";
import assert from "node:assert/strict";

import { LAB_NAME_OPTIONS, MAX_NAMES, identifierLabel, normalizeName, parseNames, splitNameInput, type Identifier, type NameParseOptions } from "./names";

const label63 = "a".repeat(63);
const label64 = "a".repeat(64);
// 63 + 1 + 63 + 1 + 63 + 1 + 57 + 1 + 3 = 253 octets
const name253 = `${label63}.${label63}.${label63}.${"b".repeat(57)}.com`;
const name254 = `${label63}.${label63}.${label63}.${"b".repeat(58)}.com`;

/** Short, unique test title for an input. */
function show(input: string): string {
  return input.length > 40 ? `${JSON.stringify(input.slice(0, 12) + "…" + input.slice(-12))} (${input.length} chars)` : JSON.stringify(input);
}

describe("normalizeName: accepted entries", () => {
  // The third element: options to pass (loopback, private and documentation addresses need the lab opt-in).
  const good: Array<[string, Identifier, NameParseOptions?]> = [
    ["example.com", { type: "dns", value: "example.com" }],
    ["WWW.Example.COM.", { type: "dns", value: "www.example.com" }],
    ["  spaced.example.org  ", { type: "dns", value: "spaced.example.org" }],
    ["a-b.c-d.example", { type: "dns", value: "a-b.c-d.example" }],
    ["123.example.com", { type: "dns", value: "123.example.com" }],
    ["bücher.example", { type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }],
    ["BÜCHER.Example.", { type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }],
    ["xn--bcher-kva.example", { type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }],
    ["XN--BCHER-KVA.EXAMPLE", { type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }],
    ["*.example.com", { type: "dns", value: "*.example.com" }],
    ["*.bücher.example", { type: "dns", value: "*.xn--bcher-kva.example", unicode: "*.bücher.example" }],
    [`${label63}.com`, { type: "dns", value: `${label63}.com` }],
    [name253, { type: "dns", value: name253 }],
    ["1.2.3.4", { type: "ip", value: "1.2.3.4" }],
    ["8.8.8.8", { type: "ip", value: "8.8.8.8" }],
    ["2606:4700:4700::1111", { type: "ip", value: "2606:4700:4700::1111" }],
    ["[2606:4700:4700::1111]", { type: "ip", value: "2606:4700:4700::1111" }],
    ["2606:4700:4700:0:0:0:0:1111", { type: "ip", value: "2606:4700:4700::1111" }],
    ["2002:808:808::1", { type: "ip", value: "2002:808:808::1" }],
    ["::1", { type: "ip", value: "::1" }, LAB_NAME_OPTIONS],
    ["[::1]", { type: "ip", value: "::1" }, LAB_NAME_OPTIONS],
    ["127.0.0.1", { type: "ip", value: "127.0.0.1" }, { allowLoopback: true }],
    ["10.1.2.3", { type: "ip", value: "10.1.2.3" }, { allowPrivate: true }],
    ["[2001:db8::1]", { type: "ip", value: "2001:db8::1" }, LAB_NAME_OPTIONS],
    ["2001:DB8:0:0:0:0:0:1", { type: "ip", value: "2001:db8::1" }, LAB_NAME_OPTIONS],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", { type: "ip", value: "2001:db8::ff00:42:8329" }, LAB_NAME_OPTIONS],
    ["shop.localhost", { type: "dns", value: "shop.localhost" }, { allowLoopback: true }],
  ];
  for (const [input, expected, options] of good) {
    it(`accepts ${show(input)}${options ? ` with ${JSON.stringify(options)}` : ""}`, () => {
      assert.deepEqual(normalizeName(input, options), { ok: true, identifier: expected });
    });
  }

  it("sets no unicode property for plain ASCII names", () => {
    const r = normalizeName("example.com");
    assert.equal(r.ok, true);
    assert.equal(r.ok && "unicode" in r.identifier, false);
  });
});

describe("normalizeName: refused entries", () => {
  const bad: Array<[string, string]> = [
    [`${label64}.com`, `"${label64}.com": label "${label64}" is 64 octets long; at most 63 allowed`],
    [name254, `"${name254.slice(0, 80)}…": name is 254 octets long; at most 253 allowed`],
    ["a..b.com", `"a..b.com": empty label`],
    [".example.com", `".example.com": empty label`],
    ["example.com..", `"example.com..": empty label`],
    ["-a.com", `"-a.com": label "-a" starts with a hyphen`],
    ["a-.com", `"a-.com": label "a-" ends with a hyphen`],
    ["a_b.com", `"a_b.com": underscores are not allowed in host names`],
    ["_acme-challenge.example.com", `"_acme-challenge.example.com": underscores are not allowed in host names`],
    ["ab--cd.com", `"ab--cd.com": label "ab--cd" has "--" in the third and fourth positions, which is reserved for xn-- labels`],
    ["xn--zz.com", `"xn--zz.com": contains an invalid punycode (xn--) label`],
    ["bü_cher.example", `"bü_cher.example": underscores are not allowed in host names`],
    ["bü<cher.example", `"bü<cher.example": not a valid internationalised domain name`],
    ["xn--a.com", `"xn--a.com": contains an invalid punycode (xn--) label`],
    ["*.a.*.com", `"*.a.*.com": "*" is only allowed once, as the whole first label (e.g. *.example.com)`],
    ["*.*.example.com", `"*.*.example.com": "*" is only allowed once, as the whole first label (e.g. *.example.com)`],
    ["*example.com", `"*example.com": "*" is only allowed as the whole first label (e.g. *.example.com)`],
    ["a.*.example.com", `"a.*.example.com": "*" is only allowed as the whole first label (e.g. *.example.com)`],
    ["*.com", `"*.com": the part after "*." must itself have at least two labels (e.g. *.example.com)`],
    ["localhost", `"localhost": needs at least two labels (e.g. example.com); single-label names cannot get public certificates`],
    ["<script>", `"<script>": contains invalid character "<" (only letters, digits, hyphens and dots are allowed)`],
    ["a b", `"a b": contains spaces or invisible/control characters`],
    ["exa mple.com", `"exa mple.com": contains spaces or invisible/control characters`],
    ["zero\u200bwidth.com", `"zero\u200bwidth.com": contains spaces or invisible/control characters`],
    ["http://x.com", `"http://x.com": looks like a URL; enter just the host name (e.g. example.com)`],
    ["x.com/path", `"x.com/path": contains a path; enter just the host name (e.g. example.com)`],
    ["user@x.com", `"user@x.com": contains "@"; enter just the host name, not an email address`],
    ["x.com:443", `"x.com:443": contains a port; enter just the host name (e.g. example.com)`],
    ["01.2.3.4", `"01.2.3.4": IPv4 address with leading zeros is ambiguous; write it without them`],
    ["1.2.3.256", `"1.2.3.256": not a valid IPv4 address (each number must be 0-255)`],
    ["1.2.3", `"1.2.3": not a valid IPv4 address (expected four numbers such as 192.0.2.1)`],
    ["1.2.3.4.5", `"1.2.3.4.5": not a valid IPv4 address (expected four numbers such as 192.0.2.1)`],
    ["example.123", `"example.123": the last label cannot be numeric`],
    ["0x7f.0x1", `"0x7f.0x1": the last label cannot be numeric`],
    ["１.２.３.４", `"１.２.３.４": not a valid domain name (it maps to an IP address)`],
    ["2001:db8::g", `"2001:db8::g": not a valid IPv6 address`],
    ["fe80::1%eth0", `"fe80::1%eth0": IPv6 zone identifiers (%...) are not allowed in certificates`],
    ["[example.com]", `"[example.com]": brackets are only allowed around an IPv6 address (e.g. [2001:db8::1])`],
    ["[1.2.3.4]", `"[1.2.3.4]": brackets are only allowed around an IPv6 address (e.g. [2001:db8::1])`],
    ["", `"": empty entry`],
  ];
  for (const [input, expected] of bad) {
    it(`refuses ${show(input)}`, () => {
      assert.deepEqual(normalizeName(input), { ok: false, error: expected });
    });
  }

  it("quotes hostile entries with JSON.stringify and truncates long ones to 80 characters", () => {
    const hostile = `"><img src=x onerror=alert(1)>${"x".repeat(100)}`;
    const r = normalizeName(hostile);
    assert.equal(r.ok, false);
    const error = r.ok ? "" : r.error;
    const expectedQuoted = JSON.stringify(hostile.slice(0, 80) + "…");
    assert.equal(error.startsWith(`${expectedQuoted}: `), true, error);
    assert.equal(error.slice(0, 3), `"\\"`);
  });

  it("applies the HTTP-01 wildcard rule when options are passed", () => {
    assert.deepEqual(normalizeName("*.example.com", { challengeMethod: "http-01-standalone" }), {
      ok: false,
      error: `"*.example.com": wildcard names need the DNS-01 challenge; HTTP-01 and TLS-ALPN-01 cannot validate them`,
    });
  });
});

describe("splitNameInput", () => {
  it("splits on newlines, commas and whitespace, trims and drops empties", () => {
    assert.deepEqual(splitNameInput(" a.com,b.com\n\n c.com \r\n,, d.com\te.com "), ["a.com", "b.com", "c.com", "d.com", "e.com"]);
  });
  it("returns an empty list for blank input", () => {
    assert.deepEqual(splitNameInput(" \n , \t"), []);
  });
});

describe("identifierLabel", () => {
  it("shows both forms for IDN", () => {
    assert.equal(identifierLabel({ type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }), "xn--bcher-kva.example (bücher.example)");
  });
  it("shows only the value when there is no distinct unicode form", () => {
    assert.equal(identifierLabel({ type: "dns", value: "example.com" }), "example.com");
    assert.equal(identifierLabel({ type: "dns", value: "example.com", unicode: "example.com" }), "example.com");
    assert.equal(identifierLabel({ type: "ip", value: "2001:db8::1" }), "2001:db8::1");
  });
});

describe("parseNames", () => {
  it("parses comma and newline separated input", () => {
    assert.deepEqual(parseNames("example.com, www.example.com\napi.example.com\r\n1.2.3.4"), {
      ok: true,
      identifiers: [
        { type: "dns", value: "example.com" },
        { type: "dns", value: "www.example.com" },
        { type: "dns", value: "api.example.com" },
        { type: "ip", value: "1.2.3.4" },
      ],
    });
  });

  it("removes duplicates after normalisation, keeping first-occurrence order", () => {
    assert.deepEqual(
      parseNames(
        "b.example.com\nWWW.Example.COM.\nwww.example.com\nB.EXAMPLE.COM\n[::1]\n0:0:0:0:0:0:0:1\nbücher.example xn--bcher-kva.example",
        LAB_NAME_OPTIONS,
      ),
      {
        ok: true,
        identifiers: [
          { type: "dns", value: "b.example.com" },
          { type: "dns", value: "www.example.com" },
          { type: "ip", value: "::1" },
          { type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" },
        ],
      },
    );
  });

  it("accepts an array of entries", () => {
    assert.deepEqual(parseNames([" Example.com ", "", "www.example.com"]), {
      ok: true,
      identifiers: [
        { type: "dns", value: "example.com" },
        { type: "dns", value: "www.example.com" },
      ],
    });
  });

  it("treats each array element as one entry (no further splitting)", () => {
    assert.deepEqual(parseNames(["exa mple.com"]), {
      ok: false,
      errors: [`"exa mple.com": contains spaces or invisible/control characters`],
    });
  });

  it("refuses empty input", () => {
    assert.deepEqual(parseNames(""), { ok: false, errors: ["enter at least one name"] });
    assert.deepEqual(parseNames(" \n, "), { ok: false, errors: ["enter at least one name"] });
    assert.deepEqual(parseNames([]), { ok: false, errors: ["enter at least one name"] });
  });

  it("reports every bad entry at once, in input order", () => {
    assert.deepEqual(parseNames("good.example.com\na..b.com\n<script>\nlocalhost, a_b.com\nalso-good.example.com"), {
      ok: false,
      errors: [
        `"a..b.com": empty label`,
        `"<script>": contains invalid character "<" (only letters, digits, hyphens and dots are allowed)`,
        `"localhost": needs at least two labels (e.g. example.com); single-label names cannot get public certificates`,
        `"a_b.com": underscores are not allowed in host names`,
      ],
    });
  });

  it("reports a repeated bad entry only once", () => {
    assert.deepEqual(parseNames("a..b.com A..B.com a..b.com"), { ok: false, errors: [`"a..b.com": empty label`] });
  });

  const wildcardCases: Array<[NameParseOptions | undefined, boolean]> = [
    [{ challengeMethod: "http-01-app" }, false],
    [{ challengeMethod: "http-01-standalone" }, false],
    [{ challengeMethod: "http-01-webroot" }, false],
    [{ challengeMethod: "tls-alpn-01" }, false],
    [{ challengeMethod: "dns-01" }, true],
    [{}, true],
    [undefined, true],
  ];
  for (const [options, allowed] of wildcardCases) {
    it(`${allowed ? "accepts" : "refuses"} *.example.com with challengeMethod ${JSON.stringify(options?.challengeMethod)}`, () => {
      const expected = allowed
        ? {
            ok: true,
            identifiers: [
              { type: "dns", value: "*.example.com" },
              { type: "dns", value: "example.com" },
            ],
          }
        : {
            ok: false,
            errors: [`"*.example.com": wildcard names need the DNS-01 challenge; HTTP-01 and TLS-ALPN-01 cannot validate them`],
          };
      assert.deepEqual(parseNames("*.example.com example.com", options), expected);
    });
  }

  it("refuses IP addresses with DNS-01 and accepts them with HTTP-01 and TLS-ALPN-01", () => {
    assert.deepEqual(parseNames("127.0.0.1", { challengeMethod: "dns-01", ...LAB_NAME_OPTIONS }), {
      ok: false,
      errors: [`"127.0.0.1": IP addresses cannot be validated with DNS-01 (RFC 8738); choose HTTP-01 or TLS-ALPN-01`],
    });
    for (const challengeMethod of ["http-01-standalone", "tls-alpn-01"]) {
      assert.deepEqual(parseNames("127.0.0.1", { challengeMethod, ...LAB_NAME_OPTIONS }), { ok: true, identifiers: [{ type: "ip", value: "127.0.0.1" }] });
    }
  });

  it(`accepts exactly ${MAX_NAMES} names`, () => {
    assert.equal(MAX_NAMES, 100);
    const names = Array.from({ length: 100 }, (_, i) => `host${i}.example.com`);
    const r = parseNames(names.join("\n"));
    assert.equal(r.ok, true);
    assert.deepEqual(r.ok ? r.identifiers.map((id) => id.value) : [], names);
  });

  it("refuses 101 names", () => {
    const names = Array.from({ length: 101 }, (_, i) => `host${i}.example.com`);
    assert.deepEqual(parseNames(names.join(",")), { ok: false, errors: ["too many names: 101 given, at most 100"] });
  });

  it("counts names after de-duplication", () => {
    const names = Array.from({ length: 100 }, (_, i) => `host${i}.example.com`);
    const r = parseNames([...names, "HOST0.example.com.", "host99.example.com"].join(" "));
    assert.equal(r.ok, true);
    assert.equal(r.ok ? r.identifiers.length : -1, 100);
  });
});

const LAB_HINT = 'a lab CA (Pebble, step-ca) may, for an account marked "This CA is on my private network or this machine"';

describe("the name policy: special-purpose addresses", () => {
  // [entry, reason without the lab opt-in, whether the lab opt-in allows it]
  const table: Array<[string, string, boolean]> = [
    ["127.0.0.1", `127.0.0.1 is a loopback address (127.0.0.0/8): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["127.1.2.3", `127.1.2.3 is a loopback address (127.0.0.0/8): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["::1", `::1 is the loopback address: public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["[::1]", `::1 is the loopback address: public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["0:0:0:0:0:0:0:1", `::1 is the loopback address: public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["10.0.0.1", `10.0.0.1 is a private network address (10.0.0.0/8): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["172.16.0.1", `172.16.0.1 is a private network address (172.16.0.0/12): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["192.168.0.1", `192.168.0.1 is a private network address (192.168.0.0/16): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["100.64.0.1", `100.64.0.1 is a carrier-grade NAT address (100.64.0.0/10): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["fd00::1", `fd00::1 is a unique-local address (a private network) (fc00::/7): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["192.0.2.1", `192.0.2.1 is an address reserved for documentation (192.0.2.0/24): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["198.51.100.7", `198.51.100.7 is an address reserved for documentation (198.51.100.0/24): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["203.0.113.9", `203.0.113.9 is an address reserved for documentation (203.0.113.0/24): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["2001:db8::7", `2001:db8::7 is an address reserved for documentation (2001:db8::/32): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["198.18.0.1", `198.18.0.1 is an address reserved for benchmarking (198.18.0.0/15): public CAs do not issue certificates for it; ${LAB_HINT}`, true],
    ["0.0.0.0", `0.0.0.0 is the unspecified address, which means "any address"; it cannot be a certificate name`, false],
    ["0.1.2.3", `0.1.2.3 is a "this network" address (0.0.0.0/8); it cannot be a certificate name`, false],
    ["::", `:: is the unspecified address, which means "any address"; it cannot be a certificate name`, false],
    ["255.255.255.255", "255.255.255.255 is the broadcast address; it cannot be a certificate name", false],
    ["224.0.0.1", "224.0.0.1 is a multicast address (224.0.0.0/4); it cannot be a certificate name", false],
    ["239.255.255.250", "239.255.255.250 is a multicast address (224.0.0.0/4); it cannot be a certificate name", false],
    ["ff02::1", "ff02::1 is a multicast address (ff00::/8); it cannot be a certificate name", false],
    ["169.254.1.1", "169.254.1.1 is a link-local address (169.254.0.0/16); it cannot be a certificate name", false],
    ["fe80::1", "fe80::1 is a link-local address (fe80::/10); it cannot be a certificate name", false],
    ["169.254.169.254", "169.254.169.254 is a cloud metadata address; it cannot be a certificate name", false],
    ["fd00:ec2::254", "fd00:ec2::254 is a cloud metadata address (AWS); it cannot be a certificate name", false],
    ["240.0.0.1", "240.0.0.1 is a reserved address (240.0.0.0/4); it cannot be a certificate name", false],
    ["192.0.0.8", "192.0.0.8 is an address reserved for IETF protocol assignments (192.0.0.0/24); it cannot be a certificate name", false],
    ["2001::1", "2001::1 is a Teredo tunnel address (2001::/32); it cannot be a certificate name", false],
    ["::ffff:127.0.0.1", "an IPv4-mapped IPv6 address (it stands for 127.0.0.1); enter the IPv4 address 127.0.0.1 itself", false],
    ["[::ffff:7f00:1]", "an IPv4-mapped IPv6 address (it stands for 127.0.0.1); enter the IPv4 address 127.0.0.1 itself", false],
    ["::ffff:8.8.8.8", "an IPv4-mapped IPv6 address (it stands for 8.8.8.8); enter the IPv4 address 8.8.8.8 itself", false],
    ["64:ff9b::7f00:1", "a NAT64 IPv6 address (it stands for 127.0.0.1); enter the IPv4 address 127.0.0.1 itself", false],
    ["::127.0.0.1", "::7f00:1 is an obsolete IPv4-compatible address (::/96); it cannot be a certificate name", false],
    [
      "2002:7f00:1::1",
      `2002:7f00:1::1 is a 6to4 address for 127.0.0.1, a loopback address (127.0.0.0/8): public CAs do not issue certificates for it; ${LAB_HINT}`,
      true,
    ],
    ["foo.localhost", `names under .localhost always mean this machine itself (RFC 6761): public CAs do not issue certificates for them; ${LAB_HINT}`, true],
    ["*.dev.localhost", `names under .localhost always mean this machine itself (RFC 6761): public CAs do not issue certificates for them; ${LAB_HINT}`, true],
  ];
  for (const [input, reason, labAllows] of table) {
    it(`refuses ${input}${labAllows ? " outside a lab" : ", even in a lab"}`, () => {
      assert.deepEqual(normalizeName(input), { ok: false, error: `${JSON.stringify(input)}: ${reason}` });
      assert.equal(normalizeName(input, LAB_NAME_OPTIONS).ok, labAllows);
      assert.deepEqual(parseNames([input]), { ok: false, errors: [`${JSON.stringify(input)}: ${reason}`] });
    });
  }

  it("keeps loopback and private apart: each needs its own opt-in", () => {
    assert.equal(normalizeName("127.0.0.1", { allowPrivate: true }).ok, false);
    assert.equal(normalizeName("10.0.0.1", { allowLoopback: true }).ok, false);
    assert.equal(normalizeName("foo.localhost", { allowPrivate: true }).ok, false);
  });

  it("reports the DNS-01 mismatch before the address policy, and both", () => {
    assert.deepEqual(parseNames("192.0.2.7", { challengeMethod: "dns-01" }), {
      ok: false,
      errors: [
        `"192.0.2.7": IP addresses cannot be validated with DNS-01 (RFC 8738); choose HTTP-01 or TLS-ALPN-01`,
        `"192.0.2.7": 192.0.2.7 is an address reserved for documentation (192.0.2.0/24): public CAs do not issue certificates for it; ${LAB_HINT}`,
      ],
    });
  });
});

describe("the name policy: confusable and mixed-script labels (UTS #39)", () => {
  const refused: Array<[string, string]> = [
    ["exаmple.com", `the label "exаmple" mixes Latin and Cyrillic letters (а is CYRILLIC SMALL LETTER A): it can be mistaken for example.com`],
    ["xn--exmple-4nf.com", `the label "exаmple" mixes Latin and Cyrillic letters (а is CYRILLIC SMALL LETTER A): it can be mistaken for example.com`],
    ["\u0435xample.com", `the label "\u0435xample" mixes Latin and Cyrillic letters (\u0435 is CYRILLIC SMALL LETTER IE): it can be mistaken for example.com`],
    ["shop.exаmple.com", `the label "exаmple" mixes Latin and Cyrillic letters (а is CYRILLIC SMALL LETTER A): it can be mistaken for shop.example.com`],
    ["*.exаmple.com", `the label "exаmple" mixes Latin and Cyrillic letters (а is CYRILLIC SMALL LETTER A): it can be mistaken for example.com`],
    [
      "раураl.com",
      `the label "раураl" mixes Cyrillic and Latin letters (р is CYRILLIC SMALL LETTER ER, а is CYRILLIC SMALL LETTER A, у is CYRILLIC SMALL LETTER U): it can be mistaken for paypal.com`,
    ],
    ["αpple.com", `the label "αpple" mixes Latin and Greek letters (α is GREEK SMALL LETTER ALPHA): it can be mistaken for apple.com`],
    ["bаnk.example", `the label "bаnk" mixes Latin and Cyrillic letters (а is CYRILLIC SMALL LETTER A): it can be mistaken for bank.example`],
    ["exampleд.com", `the label "exampleд" mixes Latin and Cyrillic letters (д is U+0434)`],
    [
      "example.com⁄evil.com",
      `the label "com⁄evil" contains ⁄ (U+2044 FRACTION SLASH), which looks like "/"; host names hold only letters, digits and hyphens: it can be mistaken for example.com/evil.com`,
    ],
    [
      "example.com∕evil.com",
      `the label "com∕evil" contains ∕ (U+2215 DIVISION SLASH), which looks like "/"; host names hold only letters, digits and hyphens: it can be mistaken for example.com/evil.com`,
    ],
    [
      "example.xn--comevil-3d7c.com",
      `the label "com⁄evil" contains ⁄ (U+2044 FRACTION SLASH), which looks like "/"; host names hold only letters, digits and hyphens: it can be mistaken for example.com/evil.com`,
    ],
    ["😀.example.com", `the label "😀" contains 😀 (U+1F600); host names hold only letters, digits and hyphens`],
    ["a♥b.example", `the label "a♥b" contains ♥ (U+2665); host names hold only letters, digits and hyphens`],
    ["a·b.example", `the label "a·b" contains · (U+00B7); host names hold only letters, digits and hyphens`],
    ["a・b.example", `the label "a・b" contains ・ (U+30FB); host names hold only letters, digits and hyphens`],
    [
      "аррӏе.com",
      `the label "аррӏе" is written in Cyrillic letters that all look like Latin ones (а is CYRILLIC SMALL LETTER A, р is CYRILLIC SMALL LETTER ER, ӏ is CYRILLIC SMALL LETTER PALOCHKA): it can be mistaken for apple.com`,
    ],
    [
      "xn--80ak6aa92e.com",
      `the label "аррӏе" is written in Cyrillic letters that all look like Latin ones (а is CYRILLIC SMALL LETTER A, р is CYRILLIC SMALL LETTER ER, ӏ is CYRILLIC SMALL LETTER PALOCHKA): it can be mistaken for apple.com`,
    ],
    [
      "сосо.com",
      `the label "сосо" is written in Cyrillic letters that all look like Latin ones (с is CYRILLIC SMALL LETTER ES, о is CYRILLIC SMALL LETTER O): it can be mistaken for coco.com`,
    ],
    [
      "ɡoogle.com",
      `the label "ɡoogle" uses ɡ (U+0261 LATIN SMALL LETTER SCRIPT G), which looks like an ordinary Latin letter: it can be mistaken for google.com`,
    ],
    [
      "ɡᴏᴏgle.com",
      `the label "ɡᴏᴏgle" uses ɡ (U+0261 LATIN SMALL LETTER SCRIPT G) and ᴏ (U+1D0F LATIN LETTER SMALL CAPITAL O), which look like ordinary Latin letters: it can be mistaken for google.com`,
    ],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${input}`, () => {
      assert.deepEqual(normalizeName(input), { ok: false, error: `${JSON.stringify(input)}: ${reason}` });
      assert.deepEqual(normalizeName(input, LAB_NAME_OPTIONS), { ok: false, error: `${JSON.stringify(input)}: ${reason}` }, "the lab opt-in does not lift it");
    });
  }

  const accepted: Array<[string, string]> = [
    ["bücher.example", "xn--bcher-kva.example"],
    ["пример.рф", "xn--e1afmkfd.xn--p1ai"],
    ["пример.com", "xn--e1afmkfd.com"],
    ["аррӏе.рф", "xn--80ak6aa92e.xn--p1ai"], // a Cyrillic TLD: Cyrillic names are expected there
    ["сосо.ru", "xn--n1aahb.ru"],
    ["ελληνικά.gr", "xn--hxargifdar.gr"],
    ["例え.jp", "xn--r8jz45g.jp"],
    ["日本語とEnglish.jp", "xn--english-hd4fi515bpxc355l.jp"], // Latin with Han and kana: highly restrictive
    ["한국어abc.kr", "xn--abc-lt8l948gbwt.kr"],
    ["テスト・サイト.jp", "xn--eck7al5clc86a.jp"], // the katakana middle dot in Japanese
    ["col·legi.cat", "xn--collegi-xma.cat"], // the Catalan middle dot between two l
    ["straße.de", "xn--strae-oqa.de"],
    ["mañana.com", "xn--maana-pta.com"],
    ["æble.dk", "xn--ble-xla.dk"],
    ["ıspanak.com.tr", "xn--spanak-o9a.com.tr"],
    ["١٢٣.example", "xn--9hbcd.example"],
    // Characters IDNA maps to ASCII leave nothing to mistake: the stored name is what it shows.
    ["example。com", "example.com"],
    ["example．com", "example.com"],
    ["exam\u00adple.com", "example.com"],
    ["ⓔxample.com", "example.com"],
  ];
  for (const [input, value] of accepted) {
    it(`accepts ${input}`, () => {
      const result = normalizeName(input);
      assert.equal(result.ok, true, result.ok ? "" : result.error);
      assert.equal(result.ok && result.identifier.value, value);
    });
  }

  it("refuses what maps to a slash or a dot without becoming one", () => {
    // Fullwidth solidus and one-dot leader map to "/" and "." which a label cannot hold.
    assert.equal(normalizeName("example.com／evil.com").ok, false);
    assert.equal(normalizeName("example․com").ok, false);
  });
});

describe("the 22 hostile names of issue #13 (and a few more)", () => {
  const hostile = [
    "127.0.0.1",
    "0.0.0.0",
    "::",
    "255.255.255.255",
    "224.0.0.1",
    "ff02::1",
    "fe80::1",
    "169.254.169.254",
    "::ffff:127.0.0.1",
    "[::1]",
    "exаmple.com",
    "example.com⁄evil.com",
    "example.com∕evil.com",
    "раураl.com",
    "аррӏе.com",
    "ɡoogle.com",
    "10.0.0.1",
    "fd00::1",
    "2001:db8::1",
    "foo.localhost",
    "64:ff9b::7f00:1",
    "😀.example.com",
    "fd00:ec2::254",
    "100.64.0.1",
    "::ffff:169.254.169.254",
    "240.0.0.1",
  ];
  it("refuses every one of them outside a lab, one message each, naming the entry", () => {
    const result = parseNames(hostile, { challengeMethod: "http-01-app" });
    assert.equal(result.ok, false);
    const errors = result.ok ? [] : result.errors;
    assert.equal(errors.length, hostile.length);
    hostile.forEach((entry, index) => assert.ok(errors[index].startsWith(`${JSON.stringify(entry)}: `), errors[index]));
  });
  it("refuses them one by one too", () => {
    for (const entry of hostile) assert.equal(normalizeName(entry).ok, false, entry);
  });
});
