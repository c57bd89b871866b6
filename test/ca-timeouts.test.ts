/**
 * A CA that stops answering: Pebble frozen with SIGSTOP keeps its port open (the kernel still
 * completes TCP handshakes) but never answers. The directory probe and acme-client's requests
 * must say so ("The CA at <host> did not answer within N s"), as a retryable acme_unreachable,
 * within a bounded time, and work again once the CA is back.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AppError } from "../lib/core/app-error";
import { createAcmeClient, generateAccountKeyPem } from "../lib/protocol/acme/client";
import { fetchDirectory } from "../lib/protocol/acme/directory";
import { toAcmeAppError } from "../lib/protocol/acme/problems";
import { LAB_NETWORK } from "../lib/protocol/net/outbound-url";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../lib/testbed/pebble-testbed";

const SHORT = { connectTimeoutMs: 1500, answerTimeoutMs: 1500, totalTimeoutMs: 5000 };
/** Pebble listens on 127.0.0.1: a lab CA, reached with the lab opt-in (the default is public addresses only). */
const LAB = { network: LAB_NETWORK };

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

function assertDidNotAnswer(error: unknown, host: string, seconds: string): AppError {
  assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
  assert.equal(error.code, "acme_unreachable");
  assert.equal(error.reason, "ca-unreachable");
  assert.equal(error.isRetryable, true);
  assert.ok(
    error.userMessage.startsWith(`The CA at ${host} did not answer within ${seconds}: it accepted the connection but sent nothing back.`),
    error.userMessage,
  );
  assert.doesNotMatch(error.userMessage, /closed the connection|Cannot read properties/);
  return error;
}

describe("a CA that stops answering (Pebble under SIGSTOP)", () => {
  let workDir: string;
  let pebble: PebbleTestbed;
  let host: string;

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-ca-timeouts-"));
    pebble = await startPebbleTestbed({ workDir, httpPort: await findFreePort() });
    host = new URL(pebble.directoryUrl).host;
  });
  after(async () => {
    await pebble?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("the directory probe reports the timeout in words, on a kept-alive connection and a fresh one", async () => {
    // A first read leaves a kept-alive connection in the agent's pool.
    await fetchDirectory(pebble.directoryUrl, pebble.httpsCaPem, LAB);
    await pebble.pause();
    try {
      const reused = await timed(() => fetchDirectory(pebble.directoryUrl, pebble.httpsCaPem, { ...LAB, timeouts: SHORT }));
      assertDidNotAnswer(reused.error, host, "1.5 s");
      assert.ok(reused.ms < 4000, `reported after ${reused.ms} ms`);
      // Another trust bundle means another agent, so a new connection (the TLS handshake hangs).
      const fresh = await timed(() => fetchDirectory(pebble.directoryUrl, `${pebble.httpsCaPem}\n`, { ...LAB, timeouts: SHORT }));
      assertDidNotAnswer(fresh.error, host, "1.5 s");
      assert.ok(fresh.ms < 4000, `reported after ${fresh.ms} ms`);
    } finally {
      pebble.resume();
    }
    assert.ok((await fetchDirectory(pebble.directoryUrl, pebble.httpsCaPem, LAB)).newOrder, "the CA answers again once resumed");
  });

  it("the directory probe with its default timeouts reports within about 10 s, not 20 s and not as a closed connection", async () => {
    await pebble.pause();
    try {
      const { error, ms } = await timed(() => fetchDirectory(pebble.directoryUrl, `${pebble.httpsCaPem}\n\n`, LAB));
      assertDidNotAnswer(error, host, "10 s");
      assert.ok(ms >= 9_500 && ms < 13_000, `reported after ${ms} ms`);
    } finally {
      pebble.resume();
    }
  });

  it("acme-client's requests report the timeout in words too, without retrying it three times", async () => {
    const accountKeyPem = await generateAccountKeyPem();
    const client = createAcmeClient({
      directoryUrl: pebble.directoryUrl,
      accountKeyPem,
      caBundlePem: pebble.httpsCaPem,
      timeouts: SHORT,
      network: LAB_NETWORK,
    });
    await client.createAccount({ termsOfServiceAgreed: true, contact: ["mailto:timeouts@example.test"] });

    await pebble.pause();
    try {
      // A signed request (newNonce, then newOrder) to a CA that accepted the connection and went silent.
      const order = await timed(() => client.createOrder({ identifiers: [{ type: "dns", value: "timeout.example.test" }] }));
      const error = assertDidNotAnswer(toAcmeAppError(order.error, host), host, "1.5 s");
      assert.equal(error, order.error, "the client throws the AppError itself");
      assert.ok(order.ms < 4000, `reported after ${order.ms} ms`);

      // A fresh client: the directory read itself hangs.
      const fresh = createAcmeClient({
        directoryUrl: pebble.directoryUrl,
        accountKeyPem,
        caBundlePem: `${pebble.httpsCaPem}\n\n\n`,
        timeouts: SHORT,
        network: LAB_NETWORK,
      });
      const terms = await timed(() => fresh.getTermsOfServiceUrl());
      assertDidNotAnswer(terms.error, host, "1.5 s");
      assert.ok(terms.ms < 4000, `reported after ${terms.ms} ms`);
    } finally {
      pebble.resume();
    }
    const order = await client.createOrder({ identifiers: [{ type: "dns", value: "after.example.test" }] });
    assert.equal(order.status, "pending", "requests work again once the CA is back");
  });

  it("a CA that is gone (connection refused) is told apart from one that hangs", async () => {
    const closed = await findFreePort();
    const { error } = await timed(() => fetchDirectory(`https://127.0.0.1:${closed}/dir`, pebble.httpsCaPem, { ...LAB, timeouts: SHORT }));
    assert.ok(error instanceof AppError);
    assert.equal(error.userMessage, `The CA at 127.0.0.1:${closed} refused the connection. Is the ACME server running, and is the port in the URL right?`);
    const client = createAcmeClient({
      directoryUrl: `https://127.0.0.1:${closed}/dir`,
      accountKeyPem: await generateAccountKeyPem(),
      timeouts: SHORT,
      network: LAB_NETWORK,
    });
    await assert.rejects(client.getTermsOfServiceUrl(), { code: "acme_unreachable", userMessage: /refused the connection/ });
  });

  it("refuses a directory URL the outbound policy does not allow, before connecting", async () => {
    // Without a policy: public addresses only.
    await assert.rejects(fetchDirectory(pebble.directoryUrl, pebble.httpsCaPem), {
      code: "invalid_input",
      userMessage: /^CertDeck does not connect to 127\.0\.0\.1: it is a loopback address/,
    });
    await assert.rejects(fetchDirectory("https://169.254.169.254/latest/meta-data/"), {
      code: "invalid_input",
      userMessage: "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.",
    });
    await assert.rejects(fetchDirectory(pebble.directoryUrl, pebble.httpsCaPem, { network: {} }), {
      code: "invalid_input",
      userMessage: /^CertDeck does not connect to 127\.0\.0\.1: it is a loopback address/,
    });
    const client = createAcmeClient({
      directoryUrl: pebble.directoryUrl,
      accountKeyPem: await generateAccountKeyPem(),
      caBundlePem: pebble.httpsCaPem,
      network: {},
    });
    await assert.rejects(client.getTermsOfServiceUrl(), { code: "invalid_input", userMessage: /^CertDeck does not connect to 127\.0\.0\.1/ });
  });
});
