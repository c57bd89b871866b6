import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildContentSecurityPolicy, createNonce, parseContentSecurityPolicy, STATIC_SECURITY_HEADERS } from "./content-security-policy";

const NONCE = "AAECAwQFBgcICQoLDA0ODw==";

describe("buildContentSecurityPolicy", () => {
  it("allows scripts only by nonce and 'strict-dynamic', never 'unsafe-inline'", () => {
    const policy = parseContentSecurityPolicy(buildContentSecurityPolicy({ nonce: NONCE }));
    assert.deepEqual(policy.get("script-src"), ["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]);
    assert.deepEqual(policy.get("style-src"), ["'self'", `'nonce-${NONCE}'`]);
  });
  it("has the fixed directives", () => {
    const policy = parseContentSecurityPolicy(buildContentSecurityPolicy({ nonce: NONCE }));
    assert.deepEqual(policy.get("default-src"), ["'self'"]);
    assert.deepEqual(policy.get("img-src"), ["'self'", "data:"]);
    assert.deepEqual(policy.get("connect-src"), ["'self'"]);
    assert.deepEqual(policy.get("object-src"), ["'none'"]);
    assert.deepEqual(policy.get("base-uri"), ["'self'"]);
    assert.deepEqual(policy.get("form-action"), ["'self'"]);
    assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  });
  it("is one line with no 'unsafe-eval' in production", () => {
    const value = buildContentSecurityPolicy({ nonce: NONCE });
    assert.doesNotMatch(value, /[\r\n]/);
    assert.doesNotMatch(value, /unsafe-eval/);
  });
  it("adds only what next dev needs in development", () => {
    const policy = parseContentSecurityPolicy(buildContentSecurityPolicy({ nonce: NONCE, isDev: true }));
    assert.ok(policy.get("script-src")?.includes("'unsafe-eval'"));
    assert.ok(!policy.get("script-src")?.includes("'unsafe-inline'"));
  });
  it("refuses a nonce that could inject directives", () => {
    assert.throws(() => buildContentSecurityPolicy({ nonce: "abc'; script-src *" }));
    assert.throws(() => buildContentSecurityPolicy({ nonce: "short" }));
  });
});

describe("createNonce", () => {
  it("is fresh base64 of 16 bytes that the builder accepts", () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, "base64").length, 16);
    assert.doesNotThrow(() => buildContentSecurityPolicy({ nonce: a }));
  });
});

describe("STATIC_SECURITY_HEADERS", () => {
  it("forbids sniffing and framing", () => {
    const headers = new Map(STATIC_SECURITY_HEADERS.map(({ key, value }) => [key, value]));
    assert.equal(headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(headers.get("X-Frame-Options"), "DENY");
    assert.equal(headers.get("Referrer-Policy"), "strict-origin-when-cross-origin");
    assert.ok(headers.get("Permissions-Policy"));
  });
});
