import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import { openTlsAlpnResponder } from "@/lib/protocol/acme/tls-alpn-01";
import { checkTlsAlpnPort, describeTlsAlpnPortInUse } from "./tls-alpn-port-check";

async function listenOnFreePort(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  return server;
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("the TLS-ALPN-01 port check", () => {
  it("names the program holding the port and advises another method instead of stopping it", async () => {
    const squatter = await listenOnFreePort();
    const port = portOf(squatter);
    try {
      const check = await checkTlsAlpnPort(port);
      assert.equal(check.status, "fail");
      assert.equal(check.message, `Port ${port} is held by node (pid ${process.pid}); TLS-ALPN-01 needs it for the few seconds the CA validates.`);
      assert.match(
        check.fix ?? "",
        /^Don't stop node: use HTTP-01 \(served by CertDeck behind the web server\) or DNS-01 for this certificate, or, if a proxy/,
      );
    } finally {
      await close(squatter);
    }
    assert.equal((await checkTlsAlpnPort(port)).status, "pass", "free once released");
  });

  it("passes while CertDeck's own listener holds the port", async () => {
    const probe = await listenOnFreePort();
    const port = portOf(probe);
    await close(probe);
    const responder = await openTlsAlpnResponder(port);
    try {
      const check = await checkTlsAlpnPort(port);
      assert.equal(check.status, "pass");
      assert.match(check.message, /own TLS-ALPN-01 listener is open/);
    } finally {
      await responder.close();
    }
  });

  it("tells how to find an unnamed holder", () => {
    assert.match(describeTlsAlpnPortInUse(443, null).fix ?? "", /ss -ltnp 'sport = :443'/);
    assert.equal(
      describeTlsAlpnPortInUse(443, { pid: 812, command: "nginx" }).message,
      "Port 443 is held by nginx (pid 812); TLS-ALPN-01 needs it for the few seconds the CA validates.",
    );
  });
});
