import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyConnectionError, timeoutFinding } from "./connection-findings";

const context = { endpoint: "127.0.0.1:8443", host: "127.0.0.1", servername: "shop.example.test" };

describe("connection failures in plain words", () => {
  it("name refused connections, DNS failures, unreachable hosts and timeouts", () => {
    assert.deepEqual(classifyConnectionError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:8443" }, context), {
      status: "refused",
      message: "Nothing listens on 127.0.0.1:8443 (connection refused).",
    });
    const dns = classifyConnectionError(
      { code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND shop.invalid" },
      { ...context, host: "shop.invalid", endpoint: "shop.invalid:443" },
    );
    assert.equal(dns.status, "dns-failed");
    assert.match(dns.message, /The name shop\.invalid does not resolve/);
    assert.equal(classifyConnectionError({ code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN" }, context).status, "dns-failed");
    assert.equal(classifyConnectionError({ code: "EHOSTUNREACH", message: "connect EHOSTUNREACH" }, context).status, "unreachable");
    assert.equal(classifyConnectionError({ code: "ETIMEDOUT", message: "connect ETIMEDOUT" }, context).status, "timeout");
  });

  it("keep the sentence of a lookup that refused the address a name resolves to", () => {
    const message = "CertDeck does not connect to meta.example.test: it resolves to 169.254.169.254, a cloud metadata address.";
    assert.deepEqual(classifyConnectionError({ code: "invalid_input", message, reason: "outbound-address" }, context), { status: "unreachable", message });
  });

  it("recognise plain HTTP on a TLS port from OpenSSL's record errors", () => {
    for (const code of ["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG"]) {
      const finding = classifyConnectionError({ code, message: "ssl3_get_record:wrong version number", reason: "wrong version number" }, context);
      assert.equal(finding.status, "not-tls");
      assert.match(finding.message, /answers, but not with TLS \(probably plain HTTP\)/);
    }
  });

  it("call handshake failures what they are, naming the SNI name where it matters", () => {
    const reset = classifyConnectionError({ code: "ECONNRESET", message: "read ECONNRESET" }, context);
    assert.equal(reset.status, "handshake-failed");
    assert.match(reset.message, /closed the connection during the TLS handshake for shop\.example\.test/);
    assert.match(
      classifyConnectionError({ code: "ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME", message: "alert" }, context).message,
      /has no certificate for shop\.example\.test/,
    );
    assert.match(classifyConnectionError({ code: "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", message: "alert" }, context).message, /handshake failure alert/);
    assert.match(classifyConnectionError({ code: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", message: "alert" }, context).message, /no TLS version in common/);
    assert.deepEqual(classifyConnectionError({ code: "ERR_SSL_SOMETHING_NEW", message: "long text", reason: "something new" }, context), {
      status: "handshake-failed",
      message: "The TLS handshake with 127.0.0.1:8443 failed: something new.",
    });
    assert.equal(
      classifyConnectionError({ message: "Client network socket disconnected before secure TLS connection was established" }, context).status,
      "handshake-failed",
    );
    assert.equal(classifyConnectionError({ message: "something odd" }, context).status, "unreachable");
  });

  it("say which of the probe's own deadlines passed", () => {
    assert.deepEqual(timeoutFinding("connect", "192.0.2.1:443", 5000), {
      status: "timeout",
      message: "192.0.2.1:443 did not accept a connection within 5 s: the host is down, or a firewall drops the packets.",
    });
    assert.match(timeoutFinding("handshake", "127.0.0.1:8443", 1500).message, /accepted the connection but did not complete a TLS handshake within 1\.5 s/);
  });
});
