/**
 * The outbound-URL policy on the real connect path: a canary HTTP(S) server on loopback counts
 * every TCP connection it accepts. A refused URL, in whatever spelling, and a name that resolves
 * to loopback must leave it untouched; the same requests with the lab opt-in must reach it (so
 * the canary demonstrably sees what gets through).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import dns from "node:dns";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, beforeEach, describe, it } from "node:test";
import { AppError } from "../lib/core/app-error";
import {
  LAB_NETWORK,
  OutboundHttpAgent,
  OutboundHttpsAgent,
  outboundFetch,
  outboundLookup,
  type OutboundPolicy,
  type Resolve,
} from "../lib/protocol/net/outbound-url";

const execFileAsync = promisify(execFile);

interface Canary {
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function startCanary(server: http.Server | https.Server, host: string): Promise<Canary> {
  const canary: Canary = { port: 0, connections: 0, requests: [], close: () => new Promise((resolve) => server.close(() => resolve())) };
  server.on("connection", () => (canary.connections += 1));
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    canary.requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "text/plain" }).end("canary");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  canary.port = (server.address() as net.AddressInfo).port;
  const close = canary.close;
  canary.close = async () => {
    server.closeAllConnections?.();
    await close();
  };
  return canary;
}

/**
 * Names that resolve to loopback without touching /etc/hosts: the DNS answer for *.certdeck.test
 * is stubbed, the connection is real. Other names go to the system resolver.
 */
const resolve: Resolve = (hostname: string, options: dns.LookupAllOptions, callback) => {
  const answers: Record<string, string[]> = {
    "canary.certdeck.test": ["127.0.0.1"],
    "canary6.certdeck.test": ["::1"],
    "mapped.certdeck.test": ["::ffff:127.0.0.1"],
    "half.certdeck.test": ["192.0.2.1", "127.0.0.1"],
  };
  const list = answers[hostname];
  if (!list) return dns.lookup(hostname, options, callback);
  process.nextTick(() =>
    callback(
      null,
      list.map((address) => ({ address, family: net.isIP(address) })),
    ),
  );
};

/** http allowed, but no lab opt-in: the address rules are what refuse. */
const HTTP_PUBLIC: OutboundPolicy = { allowHttp: true };

describe("outbound policy against a loopback canary", () => {
  let canary: Canary;
  let canary6: Canary;

  before(async () => {
    canary = await startCanary(http.createServer(), "127.0.0.1");
    canary6 = await startCanary(http.createServer(), "::1");
  });
  after(async () => {
    await canary?.close();
    await canary6?.close();
  });
  beforeEach(() => {
    canary.connections = 0;
    canary.requests = [];
    canary6.connections = 0;
    canary6.requests = [];
  });

  const spellings = (port: number) => [
    `http://127.0.0.1:${port}/x`,
    `http://2130706433:${port}/x`,
    `http://0177.0.0.1:${port}/x`,
    `http://0x7f.1:${port}/x`,
    `http://0x7f000001:${port}/x`,
    `http://127.1:${port}/x`,
    `http://[::ffff:127.0.0.1]:${port}/x`,
    `http://[::ffff:7f00:1]:${port}/x`,
    `http://localhost:${port}/x`,
    `http://canary.certdeck.test:${port}/x`,
    `http://mapped.certdeck.test:${port}/x`,
    `http://half.certdeck.test:${port}/x`,
  ];

  it("refuses every spelling of loopback, and a name resolving to it, before any connection", async () => {
    for (const url of spellings(canary.port)) {
      await assert.rejects(outboundFetch(url, { policy: HTTP_PUBLIC, resolve }), (error: unknown) => {
        assert.ok(error instanceof AppError, `${url}: an AppError, got ${String(error)}`);
        assert.match(error.userMessage, /^CertDeck does not connect to /, url);
        return true;
      });
    }
    await assert.rejects(outboundFetch(`http://[::1]:${canary6.port}/x`, { policy: HTTP_PUBLIC, resolve }), AppError);
    await assert.rejects(outboundFetch(`http://canary6.certdeck.test:${canary6.port}/x`, { policy: HTTP_PUBLIC, resolve }), AppError);
    assert.equal(canary.connections, 0, `the canary saw ${canary.requests.join(", ")}`);
    assert.equal(canary6.connections, 0);
  });

  it("lets the same requests through with the lab opt-in (the canary does see what passes)", async () => {
    const passing = spellings(canary.port).filter((url) => !url.includes("half.certdeck.test"));
    for (const url of passing) {
      const response = await outboundFetch(url, { policy: LAB_NETWORK, resolve });
      assert.equal(response.status, 200, url);
      assert.equal(await response.text(), "canary");
    }
    assert.equal(canary.requests.length, passing.length);
    // One address of half.certdeck.test is a documentation address: allowed with the lab opt-in too.
    assert.equal((await outboundFetch(`http://half.certdeck.test:${canary.port}/x`, { policy: LAB_NETWORK, resolve })).status, 200);
    assert.equal((await outboundFetch(`http://canary6.certdeck.test:${canary6.port}/x`, { policy: LAB_NETWORK, resolve })).status, 200);
    assert.equal(canary6.requests.length, 1);
  });

  it("guards the agent by itself: http.get with a literal address or a loopback name never connects", async () => {
    const agent = new OutboundHttpAgent(HTTP_PUBLIC, { resolve });
    const get = (url: string) =>
      new Promise<void>((resolvePromise, reject) => {
        http
          .get(url, { agent }, (response) => {
            response.resume();
            response.on("end", () => resolvePromise());
          })
          .on("error", reject);
      });
    await assert.rejects(get(`http://127.0.0.1:${canary.port}/agent`), { userMessage: /127\.0\.0\.1: it is a loopback address/ });
    await assert.rejects(get(`http://canary.certdeck.test:${canary.port}/agent`), { userMessage: /canary\.certdeck\.test: it resolves to 127\.0\.0\.1/ });
    // The system resolver, for real: localhost comes from the hosts file.
    const systemAgent = new OutboundHttpAgent(HTTP_PUBLIC);
    await assert.rejects(new Promise((_resolve, reject) => http.get(`http://localhost:${canary.port}/agent`, { agent: systemAgent }).on("error", reject)), {
      userMessage: /localhost: it resolves to (127\.0\.0\.1|::1)/,
    });
    agent.destroy();
    systemAgent.destroy();
    assert.equal(canary.connections, 0);
  });

  it("an https-only agent refuses http:// before connecting, even to an allowed address", async () => {
    const agent = new OutboundHttpAgent({ allowLoopback: true });
    await assert.rejects(new Promise((_resolve, reject) => http.get(`http://127.0.0.1:${canary.port}/`, { agent }).on("error", reject)), {
      userMessage: /connects only to https:\/\/ URLs/,
    });
    agent.destroy();
    assert.equal(canary.connections, 0);
  });

  it("guards raw sockets through the lookup", async () => {
    const socket = net.connect({ host: "canary.certdeck.test", port: canary.port, lookup: outboundLookup(HTTP_PUBLIC, resolve) });
    await assert.rejects(new Promise((_resolve, reject) => socket.on("error", reject)), { userMessage: /canary\.certdeck\.test: it resolves to 127\.0\.0\.1/ });
    assert.equal(canary.connections, 0);
  });

  it("never follows a redirect: a public-looking answer pointing at loopback stays an answer", async () => {
    const server = http.createServer((_request, response) => response.writeHead(302, { location: `http://127.0.0.1:${canary.port}/secret` }).end());
    await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
    try {
      const response = await outboundFetch(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`, { policy: LAB_NETWORK });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get("location"), `http://127.0.0.1:${canary.port}/secret`);
      assert.equal(canary.connections, 0);
    } finally {
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    }
  });

  it("keeps a TimeoutError from the caller's signal and cuts oversized answers", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolvePromise) => silent.listen(0, "127.0.0.1", resolvePromise));
    const big = http.createServer((_request, response) => response.end("x".repeat(2_000_000)));
    await new Promise<void>((resolvePromise) => big.listen(0, "127.0.0.1", resolvePromise));
    try {
      await assert.rejects(
        outboundFetch(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`, { policy: LAB_NETWORK, signal: AbortSignal.timeout(200) }),
        {
          name: "TimeoutError",
        },
      );
      await assert.rejects(outboundFetch(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`, { policy: LAB_NETWORK, answerTimeoutMs: 300 }), {
        name: "OutboundTimeoutError",
        code: "ETIMEDOUT",
        phase: "answer",
      });
      await assert.rejects(outboundFetch(`http://127.0.0.1:${(big.address() as net.AddressInfo).port}/`, { policy: LAB_NETWORK }), {
        code: "ERR_RESPONSE_TOO_LARGE",
      });
      // A name whose lookup never ends: the connect phase runs out.
      const hanging: Resolve = () => undefined;
      await assert.rejects(outboundFetch("https://hangs.certdeck.test/", { resolve: hanging, connectTimeoutMs: 300 }), {
        name: "OutboundTimeoutError",
        phase: "connect",
        message: "no connection to hangs.certdeck.test within 0.3 s",
      });
    } finally {
      silent.close();
      big.closeAllConnections();
      await new Promise<void>((resolvePromise) => big.close(() => resolvePromise()));
    }
  });
});

describe("outbound policy over https with a private CA", () => {
  let dir: string;
  let canary: Canary;
  let caPem: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-outbound-"));
    const run = (args: string[]) => execFileAsync("openssl", args, { cwd: dir });
    await run([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=outbound test CA",
    ]);
    await run([
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "leaf.key",
      "-out",
      "leaf.csr",
      "-subj",
      "/CN=canary.certdeck.test",
    ]);
    await execFileAsync("sh", ["-c", 'printf "subjectAltName=DNS:canary.certdeck.test,IP:127.0.0.1\\n" > leaf.ext'], { cwd: dir });
    await run([
      "x509",
      "-req",
      "-in",
      "leaf.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "leaf.ext",
      "-out",
      "leaf.pem",
    ]);
    caPem = await readFile(path.join(dir, "ca.pem"), "utf8");
    const server = https.createServer({ key: await readFile(path.join(dir, "leaf.key")), cert: await readFile(path.join(dir, "leaf.pem")) });
    canary = await startCanary(server, "127.0.0.1");
  });
  after(async () => {
    await canary?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a name resolving to loopback over https, and reaches it with the lab opt-in (TLS name check intact)", async () => {
    const url = `https://canary.certdeck.test:${canary.port}/directory`;
    await assert.rejects(outboundFetch(url, { resolve, ca: caPem }), { userMessage: /canary\.certdeck\.test: it resolves to 127\.0\.0\.1/ });
    assert.equal(canary.connections, 0);
    const agent = new OutboundHttpsAgent({ allowLoopback: true }, { resolve, ca: caPem });
    const response = await outboundFetch(url, { agent });
    assert.equal(response.status, 200);
    assert.deepEqual(canary.requests, ["GET /directory"]);
    agent.destroy();
  });
});
