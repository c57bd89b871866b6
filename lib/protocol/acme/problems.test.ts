import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeChallengeFailure, describeProblem, toAcmeAppError, type AcmeProblem } from "./problems";

const type = (name: string) => `urn:ietf:params:acme:error:${name}`;

describe("describeChallengeFailure", () => {
  it("names the address the CA used for a connection failure (Let's Encrypt's wording)", () => {
    const error = describeChallengeFailure(
      "shop.example.com",
      { type: type("connection"), detail: "203.0.113.9: Fetching http://shop.example.com/.well-known/acme-challenge/abc: Connection refused", status: 400 },
      [
        {
          url: "http://shop.example.com/.well-known/acme-challenge/abc",
          hostname: "shop.example.com",
          port: "80",
          addressesResolved: ["203.0.113.9", "2001:db8::7"],
          addressUsed: "2001:db8::7",
        },
      ],
    );
    assert.equal(error.reason, "connection");
    assert.equal(error.isRetryable, false);
    assert.equal(
      error.userMessage,
      'shop.example.com: validation failed because the CA could not connect to the server. The CA resolved shop.example.com to 203.0.113.9, 2001:db8::7 and tried 2001:db8::7 port 80 for http://shop.example.com/.well-known/acme-challenge/abc. The CA said: "203.0.113.9: Fetching http://shop.example.com/.well-known/acme-challenge/abc: Connection refused". Check that the name\'s A/AAAA records point at this server and that port 80 is open to the internet (firewall, security group).',
    );
  });

  it("maps unauthorized and incorrectResponse to the same wrong-response reason", () => {
    for (const name of ["unauthorized", "incorrectResponse"]) {
      const error = describeChallengeFailure("a.example", {
        type: type(name),
        detail: "Invalid response from http://a.example/.well-known/acme-challenge/x: 404",
      });
      assert.equal(error.reason, "wrong-response", name);
      assert.match(error.userMessage, /did not return the expected answer/);
      assert.match(error.userMessage, /nginx location block/);
    }
  });

  it("gives TLS-ALPN-01 failures port-443 advice, not the HTTP-01 location block (Let's Encrypt's wording)", () => {
    const error = describeChallengeFailure(
      "192.0.2.10",
      { type: type("connection"), detail: "192.0.2.10: Error getting validation data", status: 400 },
      [{ hostname: "192.0.2.10", port: "443", addressesResolved: ["192.0.2.10"], addressUsed: "192.0.2.10" }],
      "tls-alpn-01",
    );
    assert.equal(error.reason, "connection");
    assert.match(error.userMessage, /^192\.0\.2\.10: validation failed because the CA could not connect to port 443\./);
    assert.match(error.userMessage, /Open port 443 to the internet/);
    const wrong = describeChallengeFailure(
      "a.example",
      { type: type("unauthorized"), detail: "Incorrect validation certificate for tls-alpn-01 challenge." },
      [],
      "tls-alpn-01",
    );
    assert.equal(wrong.reason, "wrong-response");
    assert.doesNotMatch(wrong.userMessage, /acme-challenge|location block/);
    assert.match(wrong.userMessage, /did not get CertDeck's TLS-ALPN-01 answer on port 443/);
  });

  it("gives DNS-01 failures TXT-record advice, not the HTTP-01 location block", () => {
    const wrong = describeChallengeFailure(
      "*.example.com",
      { type: type("unauthorized"), detail: "No TXT record found at _acme-challenge.example.com" },
      [],
      "dns-01",
    );
    assert.equal(wrong.reason, "wrong-response");
    assert.doesNotMatch(wrong.userMessage, /location block|port 80/);
    assert.match(wrong.userMessage, /TXT record at _acme-challenge/);
    assert.match(wrong.userMessage, /dig TXT _acme-challenge/);
    const lookup = describeChallengeFailure("example.com", { type: type("dns"), detail: "SERVFAIL looking up TXT" }, [], "dns-01");
    assert.equal(lookup.reason, "dns");
    assert.match(lookup.userMessage, /_acme-challenge TXT record/);
  });

  it("explains failures seen only from secondary vantage points", () => {
    const error = describeChallengeFailure("a.example", {
      type: type("unauthorized"),
      detail: "During secondary validation: 198.51.100.4: Invalid response from http://a.example/.well-known/acme-challenge/x: 403",
    });
    assert.equal(error.reason, "wrong-response");
    assert.match(error.userMessage, /failed from its secondary ones \(multi-perspective validation\)/);
    assert.match(error.userMessage, /geo-blocking/);
    assert.match(error.userMessage, /stale AAAA record/);
  });

  it("has a reason for every problem type a CA sends when validation or ordering fails (RFC 8555 6.7, RFC 9773, the profiles draft)", () => {
    const expected: Record<string, string> = {
      dns: "dns",
      connection: "connection",
      unauthorized: "wrong-response",
      incorrectResponse: "wrong-response",
      tls: "tls",
      caa: "caa",
      rateLimited: "rate-limited",
      badNonce: "bad-nonce",
      rejectedIdentifier: "rejected-identifier",
      malformed: "malformed",
      invalidProfile: "invalid-profile",
      alreadyReplaced: "already-replaced",
      serverInternal: "ca-internal",
    };
    for (const [problemType, reason] of Object.entries(expected)) {
      assert.equal(describeProblem({ type: type(problemType), detail: "x" }).reason, reason, problemType);
    }
  });

  it("marks only transient problems retryable", () => {
    const retryable = ["rateLimited", "badNonce", "serverInternal", "alreadyReplaced"];
    const permanent = ["unauthorized", "incorrectResponse", "dns", "caa", "rejectedIdentifier", "malformed", "connection", "tls", "invalidProfile"];
    for (const name of retryable) assert.equal(describeProblem({ type: type(name) }).isRetryable, true, name);
    for (const name of permanent) assert.equal(describeProblem({ type: type(name) }).isRetryable, false, name);
  });

  it("says where the CA should have connected when it sends no validation record (Pebble): the pre-flight's addresses and the configured port", () => {
    const error = describeChallengeFailure(
      "shop.example.com",
      { type: type("unauthorized"), detail: "The key authorization file from the server did not match this challenge" },
      undefined,
      "http-01",
      { preflightAddresses: ["203.0.113.9", "2001:db8::7"], validationPort: 5002 },
    );
    assert.equal(error.reason, "wrong-response");
    assert.equal(
      error.userMessage,
      'shop.example.com: validation failed because the CA reached a web server that did not return the expected answer at the challenge URL. The CA did not say which address it tried; the pre-flight check found shop.example.com at 203.0.113.9 and 2001:db8::7, and the CA connects on port 5002. The CA said: "The key authorization file from the server did not match this challenge". Make sure requests for /.well-known/acme-challenge/ on port 5002 reach CertDeck (the nginx location block on the Add form) and that DNS points at this server.',
    );
    assert.doesNotMatch(error.userMessage, /port 80\b/);
  });

  it("uses the configured port in the connection advice, for HTTP-01 and TLS-ALPN-01", () => {
    const http = describeChallengeFailure("a.example", { type: type("connection"), detail: "Connection refused" }, [], "http-01", {
      preflightAddresses: ["198.51.100.4"],
      validationPort: 8080,
    });
    assert.match(http.userMessage, /the pre-flight check found a\.example at 198\.51\.100\.4, and the CA connects on port 8080\./);
    assert.match(http.userMessage, /port 8080 is open to the internet/);
    const alpn = describeChallengeFailure("a.example", { type: type("connection"), detail: "Connection refused" }, [], "tls-alpn-01", { validationPort: 5001 });
    assert.match(
      alpn.userMessage,
      /^a\.example: validation failed because the CA could not connect to port 5001\. The CA did not say which address it tried; it connects on port 5001\./,
    );
    assert.match(alpn.userMessage, /Open port 5001 to the internet/);
    const wrong = describeChallengeFailure("a.example", { type: type("unauthorized"), detail: "x" }, [], "tls-alpn-01", { validationPort: 5001 });
    assert.match(wrong.userMessage, /TLS-ALPN-01 answer on port 5001/);
    assert.doesNotMatch(wrong.userMessage, /443/);
  });

  it("keeps the standard ports without context, and names an IP identifier itself", () => {
    const http = describeChallengeFailure("a.example", { type: type("connection"), detail: "x" }, [], "http-01");
    assert.match(http.userMessage, /port 80 is open/);
    assert.doesNotMatch(http.userMessage, /did not say which address/);
    const alpn = describeChallengeFailure("a.example", { type: type("connection"), detail: "x" }, [], "tls-alpn-01");
    assert.match(alpn.userMessage, /could not connect to port 443\./);
    const ip = describeChallengeFailure("127.0.0.1", { type: type("unauthorized"), detail: "x" }, [], "http-01", { validationPort: 5002 });
    assert.match(ip.userMessage, /The CA did not say which address it tried; the CA connects to 127\.0\.0\.1 on port 5002\./);
  });

  it("prefers the CA's own validation record, and takes its port for the advice", () => {
    const error = describeChallengeFailure(
      "shop.example.com",
      { type: type("connection"), detail: "Timeout" },
      [{ hostname: "shop.example.com", port: "80", addressesResolved: ["203.0.113.9"], addressUsed: "203.0.113.9" }],
      "http-01",
      { preflightAddresses: ["192.0.2.1"] },
    );
    assert.match(error.userMessage, /The CA resolved shop\.example\.com to 203\.0\.113\.9 and tried 203\.0\.113\.9 port 80/);
    assert.doesNotMatch(error.userMessage, /pre-flight/);
  });

  it("adds no address sentence for DNS-01 (the CA reads DNS, not a server)", () => {
    const error = describeChallengeFailure("*.example.com", { type: type("unauthorized"), detail: "No TXT record" }, [], "dns-01", {
      preflightAddresses: ["203.0.113.9"],
      validationPort: 80,
    });
    assert.doesNotMatch(error.userMessage, /did not say which address|port/);
  });

  it("names the wildcard's base name in the pre-flight sentence", () => {
    const error = describeChallengeFailure("*.example.com", { type: type("unauthorized"), detail: "x" }, [], "http-01", {
      preflightAddresses: ["203.0.113.9"],
    });
    assert.match(error.userMessage, /the pre-flight check found example\.com at 203\.0\.113\.9, and the CA connects on port 80\./);
  });

  it("falls back to the CA's words for an unknown type", () => {
    const error = describeChallengeFailure("a.example", { type: "urn:example:weird", detail: "something odd" });
    assert.equal(error.reason, "unknown");
    assert.equal(error.userMessage, 'a.example: validation failed. The CA said: "something odd".');
  });
});

describe("describeProblem", () => {
  it("lists subproblems per identifier", () => {
    const problem: AcmeProblem = {
      type: type("rejectedIdentifier"),
      detail: "Error creating new order :: Cannot issue for 2 names",
      subproblems: [
        { type: type("rejectedIdentifier"), detail: "Domain name contains an invalid character", identifier: { type: "dns", value: "bad_name.example" } },
        { type: type("caa"), detail: "CAA record for example.org prevents issuance", identifier: { type: "dns", value: "example.org" } },
      ],
    };
    const error = describeProblem(problem);
    assert.equal(error.reason, "rejected-identifier");
    assert.match(error.userMessage, /bad_name\.example: Domain name contains an invalid character \(Remove the name/);
    assert.match(error.userMessage, /example\.org: CAA record for example\.org prevents issuance \(Add a CAA record/);
  });

  it("carries a rate limit's Retry-After", () => {
    const error = describeProblem({ type: type("rateLimited"), detail: "too many certificates (5) already issued for this exact set of identifiers" }, 7200);
    assert.equal(error.reason, "rate-limited");
    assert.equal(error.isRetryable, true);
    assert.equal(error.retryAfterSeconds, 7200);
    assert.match(error.userMessage, /It asks to wait 2 hours\./);
  });
});

describe("toAcmeAppError", () => {
  it("uses the captured problem document behind acme-client's bare message", () => {
    const problem = { type: type("rateLimited"), detail: "too many new orders recently" };
    const error = toAcmeAppError(new Error("too many new orders recently"), "ca.example", { problem, retryAfterSeconds: 60 });
    assert.equal(error.reason, "rate-limited");
    assert.equal(error.retryAfterSeconds, 60);
  });
  it("treats a network error code as the CA being unreachable, retryable", () => {
    const error = toAcmeAppError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "ca.example");
    assert.equal(error.reason, "ca-unreachable");
    assert.equal(error.isRetryable, true);
  });
  it("does not pin an old problem on an unrelated error", () => {
    const error = toAcmeAppError(new Error("something else"), "ca.example", {
      problem: { type: type("badNonce"), detail: "bad nonce" },
      retryAfterSeconds: null,
    });
    assert.equal(error.userMessage, "The CA refused the request: something else");
  });
});
