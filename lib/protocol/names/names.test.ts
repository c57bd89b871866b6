import { describe, it } from "node:test";
import assert from "node:assert/strict";

import {
  MAX_NAMES,
  identifierLabel,
  normalizeName,
  parseNames,
  splitNameInput,
  type Identifier,
  type NameParseOptions,
} from "./names";

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
  const good: Array<[string, Identifier]> = [
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
    ["0.0.0.0", { type: "ip", value: "0.0.0.0" }],
    ["255.255.255.255", { type: "ip", value: "255.255.255.255" }],
    ["::1", { type: "ip", value: "::1" }],
    ["[::1]", { type: "ip", value: "::1" }],
    ["[2001:db8::1]", { type: "ip", value: "2001:db8::1" }],
    ["2001:DB8:0:0:0:0:0:1", { type: "ip", value: "2001:db8::1" }],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", { type: "ip", value: "2001:db8::ff00:42:8329" }],
  ];
  for (const [input, expected] of good) {
    it(`accepts ${show(input)}`, () => {
      assert.deepEqual(normalizeName(input), { ok: true, identifier: expected });
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
    assert.deepEqual(splitNameInput(" a.com,b.com\n\n c.com \r\n,, d.com\te.com "), [
      "a.com",
      "b.com",
      "c.com",
      "d.com",
      "e.com",
    ]);
  });
  it("returns an empty list for blank input", () => {
    assert.deepEqual(splitNameInput(" \n , \t"), []);
  });
});

describe("identifierLabel", () => {
  it("shows both forms for IDN", () => {
    assert.equal(
      identifierLabel({ type: "dns", value: "xn--bcher-kva.example", unicode: "bücher.example" }),
      "xn--bcher-kva.example (bücher.example)",
    );
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
      parseNames("b.example.com\nWWW.Example.COM.\nwww.example.com\nB.EXAMPLE.COM\n[::1]\n0:0:0:0:0:0:0:1\nbücher.example xn--bcher-kva.example"),
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
        ? { ok: true, identifiers: [{ type: "dns", value: "*.example.com" }, { type: "dns", value: "example.com" }] }
        : {
            ok: false,
            errors: [`"*.example.com": wildcard names need the DNS-01 challenge; HTTP-01 and TLS-ALPN-01 cannot validate them`],
          };
      assert.deepEqual(parseNames("*.example.com example.com", options), expected);
    });
  }

  it("refuses IP addresses with DNS-01 and accepts them with HTTP-01 and TLS-ALPN-01", () => {
    assert.deepEqual(parseNames("127.0.0.1", { challengeMethod: "dns-01" }), {
      ok: false,
      errors: [`"127.0.0.1": IP addresses cannot be validated with DNS-01 (RFC 8738); choose HTTP-01 or TLS-ALPN-01`],
    });
    for (const challengeMethod of ["http-01-standalone", "tls-alpn-01"]) {
      assert.deepEqual(parseNames("127.0.0.1", { challengeMethod }), { ok: true, identifiers: [{ type: "ip", value: "127.0.0.1" }] });
    }
  });

  it(`accepts exactly ${MAX_NAMES} names`, () => {
    assert.equal(MAX_NAMES, 100);
    const names = Array.from({ length: 100 }, (_, i) => `host${i}.example.com`);
    const r = parseNames(names.join("\n"));
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.ok ? r.identifiers.map((id) => id.value) : [],
      names,
    );
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
