import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { bearerTokenOf, generateApiToken, hashApiToken, isScopeAllowed, isWellFormedApiToken, scopeNeededFor } from "./api-token";

describe("API tokens", () => {
  it("are cdk_ and 32 random bytes in base64url, stored as their SHA-256 with a short prefix", () => {
    const tokens = Array.from({ length: 50 }, generateApiToken);
    for (const { token, tokenHash, prefix } of tokens) {
      assert.match(token, /^cdk_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token.slice(4), "base64url").length, 32);
      assert.equal(tokenHash, createHash("sha256").update(token).digest("hex"));
      assert.equal(hashApiToken(token), tokenHash);
      assert.equal(prefix, token.slice(0, 12));
      assert.ok(isWellFormedApiToken(token));
    }
    assert.equal(new Set(tokens.map(({ token }) => token)).size, 50);
  });

  it("are refused before any lookup when they do not have the shape", () => {
    const { token } = generateApiToken();
    for (const text of [
      "",
      "cdk_",
      token.slice(0, -1),
      `${token}A`,
      token.replace("cdk_", "cdx_"),
      `${token.slice(0, -1)}=`,
      `${token.slice(0, -1)}+`,
      ` ${token}`,
    ]) {
      assert.equal(isWellFormedApiToken(text), false, JSON.stringify(text));
    }
  });

  it("are read from an Authorization: Bearer header, the scheme in any case", () => {
    assert.equal(bearerTokenOf("Bearer cdk_abc"), "cdk_abc");
    assert.equal(bearerTokenOf("bearer  cdk_abc "), "cdk_abc");
    assert.equal(bearerTokenOf("BEARER cdk_abc"), "cdk_abc");
    for (const header of [null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a b", "Token cdk_abc"]) {
      assert.equal(bearerTokenOf(header), null, JSON.stringify(header));
    }
  });

  it("read-only tokens may read; read-write tokens may do everything; anything else nothing", () => {
    assert.equal(scopeNeededFor("GET"), "read");
    assert.equal(scopeNeededFor("HEAD"), "read");
    for (const method of ["POST", "DELETE", "PUT", "PATCH"]) assert.equal(scopeNeededFor(method), "write");
    assert.equal(isScopeAllowed("read", "read"), true);
    assert.equal(isScopeAllowed("read", "write"), false);
    assert.equal(isScopeAllowed("write", "read"), true);
    assert.equal(isScopeAllowed("write", "write"), true);
    assert.equal(isScopeAllowed("admin", "read"), false);
  });
});
