import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { describe, it } from "node:test";
import * as x509 from "@peculiar/x509";
import acme from "acme-client";
import { ACME_IDENTIFIER_OID } from "@/lib/protocol/x509/acme-identifier-certificate";
import { AppError } from "@/lib/core/app-error";
import { ACME_TLS_ALPN_PROTOCOL, isTlsAlpnListenerOpen, openTlsAlpnResponder, tlsAlpnServerName } from "./tls-alpn-01";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connects as a CA's validation authority would; resolves with the presented certificate. */
function handshake(port: number, options: { servername?: string; alpn?: string[] }): Promise<{ certificate: X509Certificate; protocol: string | false }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername: options.servername,
      ALPNProtocols: options.alpn,
      rejectUnauthorized: false,
    });
    socket.once("secureConnect", () => {
      const certificate = socket.getPeerX509Certificate();
      const protocol = socket.alpnProtocol ?? false;
      socket.destroy();
      if (!certificate) reject(new Error("no certificate"));
      else resolve({ certificate, protocol });
    });
    socket.once("error", reject);
  });
}

describe("TLS-ALPN-01 responder (RFC 8737)", () => {
  it("names IP identifiers by their reverse-DNS name, as the CA sends it in SNI (RFC 8738 §6)", () => {
    assert.equal(tlsAlpnServerName({ type: "dns", value: "Example.COM." }), "example.com");
    assert.equal(tlsAlpnServerName({ type: "ip", value: "127.0.0.1" }), "1.0.0.127.in-addr.arpa");
    assert.equal(tlsAlpnServerName({ type: "ip", value: "192.0.2.45" }), "45.2.0.192.in-addr.arpa");
    // RFC 3596 §2.5's example address.
    assert.equal(
      tlsAlpnServerName({ type: "ip", value: "4321:0:1:2:3:4:567:89ab" }),
      "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
    );
    assert.equal(tlsAlpnServerName({ type: "ip", value: "::1" }), `1.${"0.".repeat(31)}ip6.arpa`);
    assert.equal(tlsAlpnServerName({ type: "ip", value: "::ffff:192.0.2.1" }), tlsAlpnServerName({ type: "ip", value: "::ffff:c000:201" }));
  });

  it("presents a certificate with the identifier as only SAN and the critical acmeIdentifier extension", async () => {
    const port = await freePort();
    const responder = await openTlsAlpnResponder(port);
    try {
      assert.equal(responder.type, "tls-alpn-01");
      await responder.publish({ identifier: { type: "dns", value: "www.example.test" }, wildcard: false, token: "t1", keyAuthorization: "t1.thumbprint" });
      await responder.publish({ identifier: { type: "ip", value: "127.0.0.1" }, wildcard: false, token: "t2", keyAuthorization: "t2.thumbprint" });
      await responder.publish({ identifier: { type: "ip", value: "2001:db8::1" }, wildcard: false, token: "t3", keyAuthorization: "t3.thumbprint" });

      const byName = await handshake(port, { servername: "www.example.test", alpn: [ACME_TLS_ALPN_PROTOCOL] });
      assert.equal(byName.protocol, ACME_TLS_ALPN_PROTOCOL);
      assert.equal(byName.certificate.subjectAltName, "DNS:www.example.test");
      assert.equal(acme.crypto.isAlpnCertificateAuthorizationValid(byName.certificate.toString(), "t1.thumbprint"), true);
      assert.equal(acme.crypto.isAlpnCertificateAuthorizationValid(byName.certificate.toString(), "t2.thumbprint"), false);
      assert.ok(isCriticalExtension(byName.certificate, ACME_IDENTIFIER_OID), "the acmeIdentifier extension is critical");

      const byAddress = await handshake(port, { servername: "1.0.0.127.in-addr.arpa", alpn: [ACME_TLS_ALPN_PROTOCOL] });
      assert.equal(byAddress.certificate.subjectAltName, "IP Address:127.0.0.1");
      assert.equal(acme.crypto.isAlpnCertificateAuthorizationValid(byAddress.certificate.toString(), "t2.thumbprint"), true);

      const byV6 = await handshake(port, { servername: tlsAlpnServerName({ type: "ip", value: "2001:db8::1" }), alpn: ["h2", ACME_TLS_ALPN_PROTOCOL] });
      assert.equal(byV6.protocol, ACME_TLS_ALPN_PROTOCOL);
      assert.equal(byV6.certificate.subjectAltName, "IP Address:2001:DB8:0:0:0:0:0:1");
    } finally {
      await responder.close();
    }
  });

  it("answers for a name longer than a common name may be", async () => {
    const port = await freePort();
    const responder = await openTlsAlpnResponder(port);
    const longName = `${"a".repeat(63)}.${"b".repeat(63)}.example.test`;
    try {
      await responder.publish({ identifier: { type: "dns", value: longName }, wildcard: false, token: "l", keyAuthorization: "l.k" });
      const { certificate } = await handshake(port, { servername: longName, alpn: [ACME_TLS_ALPN_PROTOCOL] });
      assert.equal(certificate.subjectAltName, `DNS:${longName}`);
      assert.equal(certificate.subject, "O=CertDeck TLS-ALPN-01 challenge");
    } finally {
      await responder.close();
    }
  });

  it("refuses handshakes that offer other protocols only, or for names it has no answer for", async () => {
    const port = await freePort();
    const responder = await openTlsAlpnResponder(port);
    try {
      await responder.publish({ identifier: { type: "dns", value: "a.example.test" }, wildcard: false, token: "t", keyAuthorization: "t.k" });
      await assert.rejects(handshake(port, { servername: "a.example.test", alpn: ["http/1.1"] }), /no application protocol|alert/i);
      await assert.rejects(handshake(port, { servername: "b.example.test", alpn: [ACME_TLS_ALPN_PROTOCOL] }), /alert|socket/i);
    } finally {
      await responder.close();
    }
  });

  it("shares one listener between jobs and frees the port when the last one closes", async () => {
    const port = await freePort();
    const first = await openTlsAlpnResponder(port);
    const second = await openTlsAlpnResponder(port);
    await first.publish({ identifier: { type: "dns", value: "one.example.test" }, wildcard: false, token: "1", keyAuthorization: "1.k" });
    await second.publish({ identifier: { type: "dns", value: "two.example.test" }, wildcard: false, token: "2", keyAuthorization: "2.k" });
    assert.equal(isTlsAlpnListenerOpen(port), true);

    await first.close();
    await assert.rejects(handshake(port, { servername: "one.example.test", alpn: [ACME_TLS_ALPN_PROTOCOL] }), /alert|socket/i);
    const stillServed = await handshake(port, { servername: "two.example.test", alpn: [ACME_TLS_ALPN_PROTOCOL] });
    assert.equal(stillServed.certificate.subjectAltName, "DNS:two.example.test");

    await second.close();
    assert.equal(isTlsAlpnListenerOpen(port), false);
    const rebind = net.createServer();
    await new Promise<void>((resolve, reject) => rebind.once("error", reject).listen(port, () => resolve()));
    await new Promise<void>((resolve) => rebind.close(() => resolve()));
  });

  it("says which program holds the port", async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, () => resolve()));
    try {
      const error = await openTlsAlpnResponder(port).then(
        () => assert.fail("the port is taken"),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof AppError);
      assert.equal(error.reason, "port-in-use");
      assert.match(
        error.userMessage,
        new RegExp(
          `^Port ${port} is used by node \\(pid ${process.pid}\\): TLS-ALPN-01 needs that port for the few seconds the CA validates\\. Don't stop node: use HTTP-01 \\(served by CertDeck behind the web server\\) or DNS-01`,
        ),
      );
      assert.equal(isTlsAlpnListenerOpen(port), false);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});

/** Whether the certificate's extension `oid` is marked critical (Node's X509Certificate does not show extensions). */
function isCriticalExtension(certificate: X509Certificate, oid: string): boolean {
  return new x509.X509Certificate(new Uint8Array(certificate.raw)).getExtension(oid)?.critical === true;
}
