import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { isWellFormedApiToken } from "@/lib/domain/api-tokens/api-token";
import {
  filesOfScope,
  formatManifest,
  generatePullToken,
  hashPullToken,
  ifNoneMatchMatches,
  isWellFormedPullToken,
  parseManifest,
  parsePullConfig,
  pullFileContent,
  pullReportSchema,
  REPORT_MESSAGE_LIMIT,
  versionEtag,
} from "./pull-protocol";

const FINGERPRINT = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
const block = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

describe("pull tokens", () => {
  it("are cdp_ and 32 random bytes, stored as their SHA-256, and are not API tokens", () => {
    const { token, tokenHash, prefix } = generatePullToken();
    assert.match(token, /^cdp_[A-Za-z0-9_-]{43}$/);
    assert.equal(tokenHash, createHash("sha256").update(token).digest("hex"));
    assert.equal(hashPullToken(token), tokenHash);
    assert.equal(prefix, token.slice(0, 12));
    assert.ok(isWellFormedPullToken(token));
    assert.equal(isWellFormedApiToken(token), false, "a pull token does not open the REST API");
    assert.equal(isWellFormedPullToken(token.replace("cdp_", "cdk_")), false);
    assert.equal(isWellFormedPullToken(`${token}A`), false);
    assert.equal(isWellFormedPullToken(`${token.slice(0, -1)}=`), false);
  });
});

describe("the pull manifest", () => {
  it("is key=value lines with the version, ETag, fingerprint and the files of the scope", () => {
    const etag = versionEtag(3, FINGERPRINT);
    const text = formatManifest({
      certificate: "www.example.com",
      puller: "web1",
      version: 3,
      etag,
      fingerprintSha256: FINGERPRINT,
      notAfter: new Date("2026-05-01T12:00:00Z"),
      scope: "certificate-and-key",
    });
    assert.equal(
      text,
      [
        "# CertDeck pull manifest: key=value lines (agent/README.md)",
        "format=1",
        "certificate=www.example.com",
        "puller=web1",
        "version=3",
        'etag="v3-abcdef0123456789abcdef0123456789"',
        `fingerprint_sha256=${FINGERPRINT}`,
        "not_after=2026-05-01T12:00:00.000Z",
        "scope=certificate-and-key",
        "files=cert.pem chain.pem fullchain.pem privkey.pem",
        "",
      ].join("\n"),
    );
    assert.deepEqual(parseManifest(text), {
      format: "1",
      certificate: "www.example.com",
      puller: "web1",
      version: "3",
      etag,
      fingerprint_sha256: FINGERPRINT,
      not_after: "2026-05-01T12:00:00.000Z",
      scope: "certificate-and-key",
      files: "cert.pem chain.pem fullchain.pem privkey.pem",
    });
  });

  it("lists no key for the certificate-only scope, and never lets a value break a line", () => {
    const text = formatManifest({
      certificate: "evil.example\nversion=99",
      puller: "p",
      version: 1,
      etag: versionEtag(1, FINGERPRINT),
      fingerprintSha256: FINGERPRINT,
      notAfter: new Date(0),
      scope: "certificate",
    });
    const entries = parseManifest(text);
    assert.equal(entries.version, "1");
    assert.equal(entries.certificate, "evil.exampleversion=99");
    assert.equal(entries.files, "cert.pem chain.pem fullchain.pem");
    assert.deepEqual(filesOfScope("certificate"), ["cert.pem", "chain.pem", "fullchain.pem"]);
    assert.deepEqual(filesOfScope("certificate-and-key"), ["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
  });
});

describe("ETags", () => {
  it("are strong, change with the version and with the leaf", () => {
    assert.equal(versionEtag(1, FINGERPRINT), '"v1-abcdef0123456789abcdef0123456789"');
    assert.notEqual(versionEtag(2, FINGERPRINT), versionEtag(1, FINGERPRINT));
    assert.notEqual(versionEtag(1, FINGERPRINT.replace("AB", "AC")), versionEtag(1, FINGERPRINT));
    assert.doesNotMatch(versionEtag(1, FINGERPRINT), /^W\//);
  });

  it("If-None-Match matches the same tag, in a list, weakly, or *; nothing else", () => {
    const etag = versionEtag(4, FINGERPRINT);
    assert.equal(ifNoneMatchMatches(etag, etag), true);
    assert.equal(ifNoneMatchMatches(`"x", ${etag}`, etag), true);
    assert.equal(ifNoneMatchMatches(`W/${etag}`, etag), true);
    assert.equal(ifNoneMatchMatches(" * ", etag), true);
    assert.equal(ifNoneMatchMatches(null, etag), false);
    assert.equal(ifNoneMatchMatches("", etag), false);
    assert.equal(ifNoneMatchMatches(versionEtag(3, FINGERPRINT), etag), false);
    assert.equal(ifNoneMatchMatches(etag.slice(1, -1), etag), false, "an unquoted tag is not a tag");
  });
});

describe("pull files", () => {
  it("are cut from the chain as certbot's live files are", () => {
    const chain = block("LEAF") + block("INTERMEDIATE");
    assert.equal(pullFileContent("cert.pem", chain, null), block("LEAF"));
    assert.equal(pullFileContent("chain.pem", chain, null), block("INTERMEDIATE"));
    assert.equal(pullFileContent("fullchain.pem", chain, null), chain);
    assert.equal(
      pullFileContent("privkey.pem", chain, "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----"),
      "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n",
    );
    assert.throws(() => pullFileContent("privkey.pem", chain, null));
  });
});

describe("pull config and reports", () => {
  it("reads a stored config and refuses a broken one instead of widening it", () => {
    assert.deepEqual(parsePullConfig('{"scope":"certificate"}'), { scope: "certificate" });
    assert.deepEqual(parsePullConfig('{"scope":"certificate-and-key","reloadHint":"nginx -s reload"}'), {
      scope: "certificate-and-key",
      reloadHint: "nginx -s reload",
    });
    assert.equal(parsePullConfig('{"scope":"all"}'), null);
    assert.equal(parsePullConfig("{"), null);
  });

  it("takes form strings, keeps the last lines of a long message", () => {
    assert.deepEqual(pullReportSchema.parse({ version: "2", status: "installed" }), { version: 2, status: "installed", message: "" });
    const long = `${"x".repeat(REPORT_MESSAGE_LIMIT)}\r\nlast line`;
    const parsed = pullReportSchema.parse({ version: 2, status: "failed", message: long });
    assert.ok(parsed.message.endsWith("\nlast line"));
    assert.equal(parsed.message.length, REPORT_MESSAGE_LIMIT + 1);
    for (const bad of [
      { version: "two", status: "installed" },
      { version: "0", status: "installed" },
      { version: "1.5", status: "installed" },
      { version: "1", status: "ok" },
      {},
    ]) {
      assert.equal(pullReportSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
