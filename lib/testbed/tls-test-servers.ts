/**
 * Small local servers for the TLS endpoint probe and the endpoint watch: each one presents one
 * deliberately good or bad certificate on loopback, so a test can check what CertDeck says
 * about it in plain words. `startEndpointScenarios` starts the usual set at once.
 * Node built-ins plus test-certificates.ts (@peculiar/x509).
 */
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import { findFreePort } from "./pebble-testbed";
import { createSelfSignedCertificate, createTestCertificateAuthority, type TestCertificate } from "./test-certificates";

export interface LocalServer {
  host: string;
  port: number;
  /** "127.0.0.1:8443" or "[::1]:8443". */
  address: string;
  close(): Promise<void>;
}

function listen(server: net.Server, host: string): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      const sockets = new Set<net.Socket>();
      server.on("connection", (socket: net.Socket) => {
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
      });
      resolve({
        host,
        port,
        address: host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A TLS server presenting `chainPem` (leaf first) to every client, whatever its SNI. */
export function startTlsTestServer(options: { chainPem: string; privateKeyPem: string; host?: string }): Promise<LocalServer> {
  const server = tls.createServer({ cert: options.chainPem, key: options.privateKeyPem }, (socket) => socket.end("hello\n"));
  // Probes hang up right after the handshake; that is not an error worth a stack trace.
  server.on("tlsClientError", () => undefined);
  return listen(server, options.host ?? "127.0.0.1");
}

/** Accepts TCP connections and never says a word: a TLS handshake against it times out. */
export function startSilentServer(host = "127.0.0.1"): Promise<LocalServer> {
  return listen(
    net.createServer(() => undefined),
    host,
  );
}

/** Plain HTTP on a port where a client expected TLS (the classic "https on port 80"). */
export function startPlainHttpServer(host = "127.0.0.1"): Promise<LocalServer> {
  return listen(
    http.createServer((_request, response) => response.end("plain HTTP\n")),
    host,
  );
}

/** A port on 127.0.0.1 where nothing listens (connection refused), as far as anyone can tell. */
export async function findClosedPort(): Promise<number> {
  return findFreePort();
}

export interface EndpointScenarios {
  /** The name every scenario's certificate is meant for (except "wrong name"). */
  name: string;
  /** The test CA's root: what the probe must be given as the CA bundle. */
  caBundlePem: string;
  caCommonName: string;
  /** The intermediate that signs the scenarios' leaves (what an incomplete chain leaves out). */
  intermediatePem: string;
  intermediateCommonName: string;
  /** The leaves, for fingerprints and dates. */
  certificates: Record<"valid" | "expired" | "notYetValid" | "wrongName" | "untrusted" | "selfSigned" | "incompleteChain", TestCertificate>;
  valid: LocalServer;
  expired: LocalServer;
  notYetValid: LocalServer;
  /** A certificate for other names (wrong-name-a.example.test, wrong-name-b.example.test). */
  wrongName: LocalServer;
  /** Signed by another CA (OtherCA Root) that the bundle does not contain. */
  untrusted: LocalServer;
  selfSigned: LocalServer;
  /** The leaf alone, without the intermediate that signed it. */
  incompleteChain: LocalServer;
  silent: LocalServer;
  plainHttp: LocalServer;
  closedPort: number;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3600_000;

/** Starts one server per situation the endpoint watch must name, all on 127.0.0.1. */
export async function startEndpointScenarios(name = "watch.example.test"): Promise<EndpointScenarios> {
  const root = await createTestCertificateAuthority("CertDeck Test Root");
  const intermediate = await root.createIntermediate("CertDeck Test Intermediate");
  const otherRoot = await createTestCertificateAuthority("OtherCA Root");
  const otherIntermediate = await otherRoot.createIntermediate("OtherCA Intermediate");
  const now = Date.now();

  const certificates = {
    valid: await intermediate.issue({ names: [name] }),
    expired: await intermediate.issue({ names: [name], notBefore: new Date(now - 40 * DAY_MS), notAfter: new Date(now - 10 * DAY_MS) }),
    notYetValid: await intermediate.issue({ names: [name], notBefore: new Date(now + 5 * DAY_MS), notAfter: new Date(now + 40 * DAY_MS) }),
    wrongName: await intermediate.issue({ names: ["wrong-name-a.example.test", "wrong-name-b.example.test"] }),
    untrusted: await otherIntermediate.issue({ names: [name] }),
    selfSigned: await createSelfSignedCertificate([name]),
    incompleteChain: await intermediate.issue({ names: [name], caIssuersUrl: "http://ca.example.test/intermediate.der" }),
  };
  const withIntermediate = (leaf: TestCertificate, issuerPem = intermediate.certificatePem) => ({
    chainPem: leaf.certificatePem + issuerPem,
    privateKeyPem: leaf.privateKeyPem,
  });

  const servers: LocalServer[] = [];
  const track = async (started: Promise<LocalServer>) => {
    const server = await started;
    servers.push(server);
    return server;
  };
  const scenarios = {
    valid: await track(startTlsTestServer(withIntermediate(certificates.valid))),
    expired: await track(startTlsTestServer(withIntermediate(certificates.expired))),
    notYetValid: await track(startTlsTestServer(withIntermediate(certificates.notYetValid))),
    wrongName: await track(startTlsTestServer(withIntermediate(certificates.wrongName))),
    untrusted: await track(startTlsTestServer(withIntermediate(certificates.untrusted, otherIntermediate.certificatePem))),
    selfSigned: await track(startTlsTestServer({ chainPem: certificates.selfSigned.certificatePem, privateKeyPem: certificates.selfSigned.privateKeyPem })),
    incompleteChain: await track(
      startTlsTestServer({ chainPem: certificates.incompleteChain.certificatePem, privateKeyPem: certificates.incompleteChain.privateKeyPem }),
    ),
    silent: await track(startSilentServer()),
    plainHttp: await track(startPlainHttpServer()),
  };
  return {
    name,
    caBundlePem: root.certificatePem,
    caCommonName: root.commonName,
    intermediatePem: intermediate.certificatePem,
    intermediateCommonName: intermediate.commonName,
    certificates,
    ...scenarios,
    closedPort: await findClosedPort(),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
