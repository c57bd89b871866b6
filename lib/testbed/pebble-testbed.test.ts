/**
 * Proves the Pebble testbed works end to end:
 *   node --import tsx --test lib/testbed/pebble-testbed.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import * as acme from "acme-client";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "./pebble-testbed";

function getJson(url: string, options: https.RequestOptions = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { agent: false, timeout: 2000, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/** Resolves true if something accepts a TCP connection on 127.0.0.1:port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Per-client trust for acme-client 5.4.0. All clients share one module-level axios instance
 * (`acme.axios`), and `client.http.request(url, method, opts)` hands `opts` straight to
 * `axios.request(opts)`, so injecting `httpsAgent` there scopes the CA to this client only.
 * `client.http` is internal (not in the .d.ts) and is replaced by `updateAccountKey()`.
 */
function trustCaForClient(client: acme.Client, ca: string): void {
  const agent = new https.Agent({ ca });
  type HttpClient = {
    request(url: string, method: string, opts?: Record<string, unknown>): Promise<unknown>;
  };
  const httpClient = (client as unknown as { http: HttpClient }).http;
  const original = httpClient.request.bind(httpClient);
  httpClient.request = (url, method, opts = {}) => original(url, method, { ...opts, httpsAgent: agent });
}

describe("pebble testbed", () => {
  let workDir: string;
  let testbed: PebbleTestbed;
  let httpPort: number;

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-pebble-"));
    httpPort = await findFreePort();
    testbed = await startPebbleTestbed({ workDir, httpPort });
  });

  after(async () => {
    await testbed?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test("serves the ACME directory over HTTPS trusted only via the generated CA", async () => {
    assert.match(testbed.directoryUrl, /^https:\/\/127\.0\.0\.1:\d+\/dir$/);
    const dir = await getJson(testbed.directoryUrl, { ca: testbed.httpsCaPem });
    for (const key of ["newNonce", "newAccount", "newOrder"]) {
      assert.equal(typeof dir[key], "string", `directory has ${key}`);
      assert.match(dir[key] as string, /^https:\/\/127\.0\.0\.1:\d+\//);
    }
    assert.equal(dir.renewalInfo, undefined, "Pebble 2.4.0 has no ARI");

    // The same certificate also covers "localhost" (SAN).
    const port = new URL(testbed.directoryUrl).port;
    const viaLocalhost = await getJson(`https://localhost:${port}/dir`, { ca: testbed.httpsCaPem, family: 4 });
    assert.equal(viaLocalhost.newNonce, (dir.newNonce as string).replace("127.0.0.1", "localhost"));

    // Without the CA: a TLS verification error, not a response.
    await assert.rejects(getJson(testbed.directoryUrl), (err: NodeJS.ErrnoException) => {
      assert.match(String(err.code), /CERT|SIGNATURE|ISSUER/);
      return true;
    });

    const root = new X509Certificate(await testbed.getIssuerRootPem());
    assert.match(root.subject, /Pebble Root CA/);
  });

  test("challtestsrv DNS answers records set through the management API", async () => {
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([testbed.dnsServer]); // "127.0.0.1:<port>" is accepted
    assert.deepEqual(resolver.getServers(), [testbed.dnsServer]);

    await testbed.addA("dns-check.example", ["127.0.0.2"]);
    assert.deepEqual(await resolver.resolve4("dns-check.example"), ["127.0.0.2"]);

    // Every other name falls back to the default 127.0.0.1 and gets no AAAA.
    assert.deepEqual(await resolver.resolve4("anything.example"), ["127.0.0.1"]);
    await assert.rejects(resolver.resolve6("anything.example"));

    await testbed.clearA("dns-check.example");
    assert.deepEqual(await resolver.resolve4("dns-check.example"), ["127.0.0.1"]);

    await testbed.setTxt("_acme-challenge.dns-check.example", "token-value"); // dot appended
    assert.deepEqual(await resolver.resolveTxt("_acme-challenge.dns-check.example"), [["token-value"]]);
    await testbed.clearTxt("_acme-challenge.dns-check.example");
    await assert.rejects(resolver.resolveTxt("_acme-challenge.dns-check.example"));
  });

  test("acme-client issues a certificate for test-one.example over HTTP-01", async () => {
    const tokens = new Map<string, string>();
    const responder = http.createServer((req, res) => {
      const match = /^\/\.well-known\/acme-challenge\/([^/?]+)$/.exec(req.url ?? "");
      const body = match ? tokens.get(match[1]) : undefined;
      res.writeHead(body ? 200 : 404, { "content-type": "text/plain" });
      res.end(body ?? "not found");
    });
    await new Promise<void>((resolve) => responder.listen(httpPort, "127.0.0.1", resolve));

    try {
      const client = new acme.Client({
        directoryUrl: testbed.directoryUrl,
        accountKey: await acme.crypto.createPrivateEcdsaKey(),
        backoffMin: 100,
        backoffMax: 1000,
      });
      trustCaForClient(client, testbed.httpsCaPem);
      assert.equal(acme.axios.defaults.httpsAgent, undefined, "no global trust was needed");

      await client.createAccount({ termsOfServiceAgreed: true });
      const order = await client.createOrder({ identifiers: [{ type: "dns", value: "test-one.example" }] });
      const [authz] = await client.getAuthorizations(order);
      const challenge = authz.challenges.find((c) => c.type === "http-01");
      assert.ok(challenge, "Pebble offers http-01");

      // Keep the token served until the challenge is final (Pebble's VA makes 3 requests).
      tokens.set(challenge.token, await client.getChallengeKeyAuthorization(challenge));
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(challenge);
      tokens.delete(challenge.token);

      const [, csr] = await acme.crypto.createCsr({ commonName: "test-one.example" });
      const finalized = await client.finalizeOrder(order, csr);
      const chainPem = await client.getCertificate(finalized);

      const pems = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      assert.ok(pems.length >= 2, "leaf + intermediate");
      const [leaf, intermediate] = pems.map((p) => new X509Certificate(p));
      const root = new X509Certificate(await testbed.getIssuerRootPem());
      assert.match(leaf.subjectAltName ?? "", /DNS:test-one\.example/);
      assert.ok(leaf.verify(intermediate.publicKey), "leaf signed by intermediate");
      assert.ok(intermediate.verify(root.publicKey), "intermediate signed by Pebble's root");
      const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
      assert.ok(Math.abs(days - 90) < 1, `90-day validity (got ${days})`);

      // A client without the injected agent does not trust Pebble: the trust is per client.
      // (Retries disabled, else acme-client retries a TLS error for 75 s.)
      const settings = acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } };
      const savedAttempts = settings.acmeSettings.retryMaxAttempts;
      settings.acmeSettings.retryMaxAttempts = 0;
      try {
        const untrusting = new acme.Client({
          directoryUrl: testbed.directoryUrl,
          accountKey: await acme.crypto.createPrivateEcdsaKey(),
        });
        await assert.rejects(untrusting.createAccount({ termsOfServiceAgreed: true }));
      } finally {
        settings.acmeSettings.retryMaxAttempts = savedAttempts;
      }
    } finally {
      await new Promise<void>((resolve) => responder.close(() => resolve()));
    }
  });

  test("stop() ends both processes and frees their ports", async () => {
    const ports = [
      Number(new URL(testbed.directoryUrl).port),
      Number(new URL(testbed.managementUrl).port),
      Number(new URL(testbed.challtestsrvManagementUrl).port),
      Number(testbed.dnsServer.split(":")[1]), // challtestsrv DNS also listens on TCP
    ];
    for (const port of ports) assert.equal(await isListening(port), true, `port ${port} open before stop`);
    const { pebble, challtestsrv } = testbed.pids;
    assert.ok(isAlive(pebble) && isAlive(challtestsrv));

    await testbed.stop();
    await testbed.stop(); // idempotent

    assert.equal(isAlive(pebble), false, "pebble exited");
    assert.equal(isAlive(challtestsrv), false, "challtestsrv exited");
    for (const port of ports) assert.equal(await isListening(port), false, `port ${port} closed after stop`);
  });
});

test("EAB keys make external account binding required", async () => {
  const workDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-pebble-eab-"));
  const hmacKey = randomBytes(32).toString("base64url");
  const testbed = await startPebbleTestbed({
    workDir,
    httpPort: await findFreePort(),
    externalAccountMACKeys: { "kid-1": hmacKey },
  });
  try {
    const dir = await getJson(testbed.directoryUrl, { ca: testbed.httpsCaPem });
    assert.equal((dir.meta as { externalAccountRequired?: boolean }).externalAccountRequired, true);

    const withoutEab = new acme.Client({
      directoryUrl: testbed.directoryUrl,
      accountKey: await acme.crypto.createPrivateEcdsaKey(),
    });
    trustCaForClient(withoutEab, testbed.httpsCaPem);
    await assert.rejects(withoutEab.createAccount({ termsOfServiceAgreed: true }), /externalAccountBinding/);

    const withEab = new acme.Client({
      directoryUrl: testbed.directoryUrl,
      accountKey: await acme.crypto.createPrivateEcdsaKey(),
      externalAccountBinding: { kid: "kid-1", hmacKey },
    });
    trustCaForClient(withEab, testbed.httpsCaPem);
    const account = await withEab.createAccount({ termsOfServiceAgreed: true });
    assert.equal(account.status, "valid");
  } finally {
    await testbed.stop();
    await rm(workDir, { recursive: true, force: true });
  }
});

test("startPebbleTestbed reports a missing binary with the install hint", async () => {
  await assert.rejects(startPebbleTestbed({ workDir: os.tmpdir(), httpPort: 1, pebbleBinary: "/nonexistent/pebble" }), {
    message: 'pebble is not installed: run "apt-get install -y pebble" as root',
  });
});
