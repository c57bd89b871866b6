import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { after, before, beforeEach, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { startEndpointScenarios, startTlsTestServer, type EndpointScenarios } from "../lib/testbed/tls-test-servers";
import { createTestCertificateAuthority } from "../lib/testbed/test-certificates";
import { findFreePort } from "../lib/testbed/pebble-testbed";
import { archivePaths } from "../lib/protocol/lineage/lineage-files";

/**
 * The endpoint watch against real TLS servers on loopback (lib/testbed/tls-test-servers.ts), a
 * certificate issued by a real Pebble, notifications to a real SMTP server and a real webhook,
 * all stored in a real SQLite file.
 */
interface Post {
  event: string;
  text: string;
  [key: string]: unknown;
}

async function startWebhookServer() {
  const received: Post[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function startSmtpServer() {
  const subjects: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    closeTimeout: 100,
    logger: false,
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(raw)?.[1].replace(/\r\n[ \t]+/g, " ") ?? "";
        subjects.push(subject);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.server.address() as AddressInfo).port, subjects, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A TLS server whose certificate can be swapped (a reload), and which can stop and start again on its port. */
async function startSwappableServer(initial: { cert: string; key: string }, port = 0) {
  let context = initial;
  let server: tls.Server | null = null;
  const sockets = new Set<import("node:net").Socket>();
  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      server = tls.createServer(context, (socket) => socket.end("hello\n"));
      server.on("tlsClientError", () => undefined);
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen({ host: "127.0.0.1", port: onPort, exclusive: true }, () => resolve((server!.address() as AddressInfo).port));
    });
  const boundPort = await listen(port);
  return {
    port: boundPort,
    serve(next: { cert: string; key: string }) {
      context = next;
      server?.setSecureContext(next);
    },
    async stop() {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
    async start() {
      await listen(boundPort);
    },
  };
}

describe("endpoint watch", () => {
  let app: AppHarness;
  let scenarios: EndpointScenarios;
  let webhook: Awaited<ReturnType<typeof startWebhookServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let endpoints: typeof import("../lib/domain/endpoints/endpoints");
  let probe: typeof import("../lib/domain/endpoints/probe-endpoint");
  let targets: typeof import("../lib/domain/endpoints/target-endpoints");
  let scheduler: typeof import("../lib/jobs/scheduler");
  const extraServers: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];

  before(async () => {
    process.env.CERTDECK_TIME_ZONE = "UTC";
    app = await startAppHarness({ label: "endpoint-watch" });
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    scenarios = await startEndpointScenarios();
    webhook = await startWebhookServer();
    smtp = await startSmtpServer();
    endpoints = await import("../lib/domain/endpoints/endpoints");
    probe = await import("../lib/domain/endpoints/probe-endpoint");
    targets = await import("../lib/domain/endpoints/target-endpoints");
    scheduler = await import("../lib/jobs/scheduler");
    const { addNotificationChannel } = await import("../lib/domain/notifications/channels");
    await addNotificationChannel(app.admin, { type: "webhook", name: "chat", url: `http://127.0.0.1:${webhook.port}/hook`, privateNetwork: true });
    await addNotificationChannel(app.admin, {
      type: "email",
      name: "ops mail",
      host: "127.0.0.1",
      port: smtp.port,
      security: "none",
      from: "certdeck@example.test",
      to: "ops@example.test",
      privateNetwork: true,
    });
  });

  after(async () => {
    for (const server of extraServers) await ("close" in server ? server.close() : server.stop());
    await scenarios?.close();
    await webhook?.close();
    await smtp?.close();
    await challenge?.close();
    await app?.stop();
  });

  beforeEach(() => {
    webhook.received.length = 0;
    smtp.subjects.length = 0;
  });

  const row = (id: string) => app.modules.db.endpoint.findUniqueOrThrow({ where: { id } });
  const add = (port: number, extra: Record<string, unknown> = {}) =>
    endpoints.addEndpoint(app.admin, { address: `127.0.0.1:${port}`, serverName: scenarios.name, caBundlePem: scenarios.caBundlePem, ...extra });
  const posted = (event: string) => webhook.received.filter((post) => post.event === event);

  it("stores each local server's status in plain words: valid, expired, wrong name, untrusted chain, closed port", async () => {
    const before = Date.now();
    const valid = await add(scenarios.valid.port, { label: "Shop" });
    assert.equal(valid.address, `127.0.0.1:${scenarios.valid.port}`);
    assert.equal(valid.check?.status, "ok", valid.check?.message);
    const validRow = await row(valid.id);
    assert.equal(validRow.status, "ok");
    assert.match(
      validRow.message ?? "",
      new RegExp(`^127\\.0\\.0\\.1:${scenarios.valid.port} serves a valid, trusted certificate for watch\\.example\\.test until `),
    );
    assert.equal(validRow.fingerprintSha256, scenarios.certificates.valid.fingerprintSha256);
    assert.deepEqual(JSON.parse(validRow.servedNames ?? "[]"), ["watch.example.test"]);
    assert.equal(validRow.issuer, scenarios.intermediateCommonName);
    assert.equal(validRow.chainPem?.match(/BEGIN CERTIFICATE/g)?.length, 2, "leaf and intermediate, as served");
    assert.equal(validRow.consecutiveFailures, 0);
    assert.ok(validRow.checkedAt && validRow.checkedAt.getTime() >= before);
    const sixHours = validRow.nextCheckAt.getTime() - validRow.checkedAt.getTime();
    assert.equal(sixHours, 6 * 3600_000, "all well: again in 6 hours");

    const expired = await add(scenarios.expired.port);
    const expiredRow = await row(expired.id);
    assert.equal(expiredRow.status, "expired");
    assert.match(expiredRow.message ?? "", /^The certificate for watch\.example\.test expired on \w{3}, \d+ \w{3} \d{4}, \d\d:\d\d UTC\.$/);
    assert.equal(expiredRow.nextCheckAt.getTime() - expiredRow.checkedAt!.getTime(), 3600_000, "a problem: again in an hour");

    const wrongName = await add(scenarios.wrongName.port);
    assert.equal((await row(wrongName.id)).status, "wrong-name");
    assert.equal(
      (await row(wrongName.id)).message,
      "It serves a certificate for wrong-name-a.example.test, wrong-name-b.example.test, not for watch.example.test.",
    );

    const untrusted = await add(scenarios.untrusted.port);
    assert.equal((await row(untrusted.id)).status, "untrusted");
    assert.equal(
      (await row(untrusted.id)).message,
      "The certificate is issued by OtherCA Root, which the system does not trust; add the CA bundle (that CA's root certificate).",
    );

    // The valid server without its CA bundle: the system does not know that root.
    const noBundle = await endpoints.addEndpoint(app.admin, { address: `localhost:${scenarios.valid.port}`, serverName: scenarios.name });
    assert.equal(noBundle.check?.status, "untrusted");
    assert.match(noBundle.check?.message ?? "", /issued by CertDeck Test Root, which the system does not trust/);

    const closed = await add(scenarios.closedPort);
    const closedRow = await row(closed.id);
    assert.equal(closedRow.status, "refused");
    assert.equal(closedRow.message, `Nothing listens on 127.0.0.1:${scenarios.closedPort} (connection refused).`);
    assert.equal(closedRow.consecutiveFailures, 1);
    assert.equal(closedRow.fingerprintSha256, null);
    assert.equal(closedRow.nextCheckAt.getTime() - closedRow.checkedAt!.getTime(), 5 * 60_000, "no answer: again in 5 minutes");
    assert.deepEqual(posted("endpoint-down"), [], "one failure is not an outage");

    const audit = await app.modules.db.auditEvent.findMany({ where: { action: "endpoint.add" }, select: { actor: true, target: true } });
    assert.ok(audit.some((entry) => entry.actor === "admin" && entry.target === `Shop (watch.example.test at 127.0.0.1:${scenarios.valid.port})`));
  });

  it("refuses metadata and link-local addresses and duplicates, but watches private and loopback ones", async () => {
    const refusal = (address: string) => endpoints.addEndpoint(app.admin, { address });
    await assert.rejects(refusal("169.254.169.254:443"), (error: { code: string; fieldErrors: Record<string, string[]> }) => {
      assert.equal(error.code, "invalid_input");
      assert.match(error.fieldErrors.address[0], /CertDeck does not connect to 169\.254\.169\.254: it is a cloud metadata address/);
      return true;
    });
    await assert.rejects(refusal("[fe80::1]:443"), { userMessage: /fe80::1: it is a link-local address/ });
    await assert.rejects(refusal("metadata.google.internal"), { userMessage: /it is a cloud metadata service/ });
    await assert.rejects(refusal("https://shop.example.test/"), { userMessage: /not a host name or an IP address|port must be a number/ });
    await assert.rejects(endpoints.addEndpoint(app.admin, { address: "shop.example.test:443", serverName: "*.example.test" }), { userMessage: /serverName/ });
    await assert.rejects(add(scenarios.valid.port), { userMessage: /is watched already/ });
    assert.equal(await app.modules.db.endpoint.count({ where: { host: { in: ["169.254.169.254", "fe80::1", "metadata.google.internal"] } } }), 0);
    // Read-only API tokens may look, not change.
    await assert.rejects(endpoints.addEndpoint({ kind: "api-token", tokenId: "t", name: "api:ro", scope: "read", address: null }, { address: "127.0.0.1:1" }), {
      code: "forbidden",
    });
  });

  it("edits and removes endpoints; an edit of what is probed probes again", async () => {
    const added = await add(scenarios.wrongName.port, { serverName: "wrong-name-a.example.test", label: "Old" });
    assert.equal(added.check?.status, "ok");
    const edited = await endpoints.editEndpoint(app.admin, {
      id: added.id,
      address: `127.0.0.1:${scenarios.incompleteChain.port}`,
      serverName: scenarios.name,
      caBundlePem: scenarios.caBundlePem,
      label: "New",
    });
    assert.equal(edited.check?.status, "incomplete-chain");
    const stored = await row(added.id);
    assert.equal(stored.port, scenarios.incompleteChain.port);
    assert.equal(stored.label, "New");
    assert.equal(stored.fingerprintSha256, scenarios.certificates.incompleteChain.fingerprintSha256);
    const relabelled = await endpoints.editEndpoint(app.admin, {
      id: added.id,
      address: `127.0.0.1:${scenarios.incompleteChain.port}`,
      serverName: scenarios.name,
      caBundlePem: scenarios.caBundlePem,
      label: "",
    });
    assert.equal(relabelled.check, null, "only the label changed: no probe");
    assert.equal((await row(added.id)).label, null);
    await endpoints.removeEndpoint(app.admin, { id: added.id });
    assert.equal(await app.modules.db.endpoint.count({ where: { id: added.id } }), 0);
    await assert.rejects(endpoints.removeEndpoint(app.admin, { id: added.id }), { code: "not_found" });
    await assert.rejects(endpoints.checkEndpoint(app.admin, { id: added.id }), { code: "not_found" });
  });

  it("warns once per threshold about a served certificate close to its end", async () => {
    const ca = await createTestCertificateAuthority("Soon Root");
    const leaf = await ca.issue({
      names: ["soon.example.test"],
      notBefore: new Date(Date.now() - 85 * 86_400_000),
      notAfter: new Date(Date.now() + 5 * 86_400_000),
    });
    const server = await startTlsTestServer({ chainPem: leaf.certificatePem, privateKeyPem: leaf.privateKeyPem });
    extraServers.push(server);
    const added = await endpoints.addEndpoint(app.admin, { address: server.address, serverName: "soon.example.test", caBundlePem: ca.certificatePem });
    assert.equal(added.check?.status, "expiring");
    assert.match(added.check?.message ?? "", /serves a valid, trusted certificate for soon\.example\.test, but it expires in 4 days \(/);
    await endpoints.checkEndpoint(app.admin, { id: added.id });
    await endpoints.checkEndpoint(app.admin, { id: added.id });
    const warnings = posted("endpoint-expiring");
    assert.equal(warnings.length, 1, "once, however often it is checked");
    assert.equal(warnings[0].thresholdDays, 7);
    assert.equal(warnings[0].fingerprintSha256, leaf.fingerprintSha256);
    assert.deepEqual(warnings[0].endpoint, { id: added.id, address: server.address, serverName: "soon.example.test", label: null });
    assert.deepEqual(smtp.subjects, [`soon.example.test at ${server.address} serves a certificate that expires within 7 days`]);
    // Two days later, the 3-day warning (the clock is the probe's; the certificate is the same).
    const later = await probe.probeEndpoint(added.id, { now: new Date(Date.now() + 2.5 * 86_400_000) });
    assert.deepEqual(later?.notified, ["endpoint-expiring"]);
    assert.equal(posted("endpoint-expiring")[1].thresholdDays, 3);
  });

  it("says when an endpoint stops answering (after two failures, once) and when it answers again", async () => {
    const swappable = await startSwappableServer({
      cert: scenarios.certificates.valid.certificatePem + scenarios.intermediatePem,
      key: scenarios.certificates.valid.privateKeyPem,
    });
    extraServers.push(swappable);
    const added = await endpoints.addEndpoint(app.admin, {
      address: `127.0.0.1:${swappable.port}`,
      serverName: scenarios.name,
      caBundlePem: scenarios.caBundlePem,
      label: "Flaky",
    });
    assert.equal(added.check?.status, "ok");

    await swappable.stop();
    const first = await endpoints.checkEndpoint(app.admin, { id: added.id });
    assert.equal(first.status, "refused");
    assert.deepEqual(posted("endpoint-down"), []);
    const firstCheckedAt = (await row(added.id)).checkedAt!;
    const second = await endpoints.checkEndpoint(app.admin, { id: added.id });
    assert.equal(second.status, "refused");
    assert.equal((await row(added.id)).consecutiveFailures, 2);
    assert.equal(second.nextCheckAt.getTime() - (await row(added.id)).checkedAt!.getTime(), 10 * 60_000, "backoff: 10 minutes after the second failure");
    await endpoints.checkEndpoint(app.admin, { id: added.id });
    const down = posted("endpoint-down");
    assert.equal(down.length, 1, "once per outage");
    assert.equal(down[0].since, firstCheckedAt.toISOString(), "named by its first failed check");
    assert.equal(down[0].reason, `Nothing listens on 127.0.0.1:${swappable.port} (connection refused).`);
    assert.ok(smtp.subjects.includes(`Flaky (watch.example.test at 127.0.0.1:${swappable.port}) stopped answering`));
    // The served certificate stays known while it is down.
    assert.equal((await row(added.id)).fingerprintSha256, scenarios.certificates.valid.fingerprintSha256);

    await swappable.start();
    const back = await endpoints.checkEndpoint(app.admin, { id: added.id });
    assert.equal(back.status, "ok");
    await endpoints.checkEndpoint(app.admin, { id: added.id });
    const up = posted("endpoint-up");
    assert.equal(up.length, 1);
    assert.equal(up[0].downSince, firstCheckedAt.toISOString());
    assert.equal((await row(added.id)).consecutiveFailures, 0);
    assert.equal(posted("endpoint-down").length, 1);
  });

  describe("a certificate managed here", () => {
    let certificateId: string;
    let certificateName: string;
    let server: Awaited<ReturnType<typeof startSwappableServer>>;
    let pebbleRootPem: string;
    const files = async (version: number) => {
      const paths = archivePaths(app.dataDir, certificateName, version);
      return { cert: await readFile(paths.fullchain, "utf8"), key: await readFile(paths.privkey, "utf8") };
    };

    before(async () => {
      const accountId = await app.registerPebbleAccount();
      certificateName = "stale.example.test";
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
        names: `${certificateName} www.stale.example.test`,
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
      });
      assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
      certificateId = created.certificateId;
      const { renewCertificate } = await import("../lib/domain/certificates/renew-certificate");
      const renewed = await renewCertificate(app.admin, { id: certificateId });
      assert.deepEqual(await app.waitForJob(renewed.jobId), { status: "succeeded", error: null });
      pebbleRootPem = await app.pebble.getIssuerRootPem();
      server = await startSwappableServer(await files(1));
      extraServers.push(server);
    });

    it("serving an older version is stale, with that version named; serving the current one is ok", async () => {
      const versions = await app.modules.db.certificateVersion.findMany({ where: { certificateId }, orderBy: { version: "asc" } });
      assert.deepEqual(
        versions.map((version) => version.version),
        [1, 2],
      );
      assert.equal(versions[1].deployStatus, "deployed");

      const added = await endpoints.addEndpoint(app.admin, {
        address: `127.0.0.1:${server.port}`,
        serverName: certificateName,
        caBundlePem: pebbleRootPem,
        certificateId,
      });
      assert.equal(added.check?.status, "stale", added.check?.message);
      assert.equal(added.check?.servedAsIssued, false);
      assert.equal(added.check?.servedVersion, 1);
      const issuedOn = new Intl.DateTimeFormat("en-GB", {
        timeZone: "UTC",
        weekday: "short",
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZoneName: "short",
      }).format(versions[1].createdAt);
      const short = versions[0].fingerprintSha256.split(":").slice(0, 6).join(":");
      assert.equal(
        added.check?.message,
        `It serves version 1 of ${certificateName} (SHA-256 ${short}…), not version 2, issued on ${issuedOn}. Reload the server, or check that it reads CertDeck's live/ files.`,
      );
      await endpoints.checkEndpoint(app.admin, { id: added.id });
      const stale = posted("endpoint-stale");
      assert.equal(stale.length, 1, "once per endpoint and current version");
      assert.deepEqual(stale[0].certificate, { id: certificateId, name: certificateName });
      assert.equal(stale[0].version, 2);
      const delivery = await app.modules.db.notificationDelivery.findFirstOrThrow({ where: { event: "endpoint-stale" }, select: { certificateId: true } });
      assert.equal(delivery.certificateId, certificateId);

      const { listCertificateEndpoints, getEndpointOverview } = await import("../lib/domain/endpoints/queries");
      const [listed] = await listCertificateEndpoints(certificateId);
      assert.equal(listed.servedAsIssued, false);
      assert.equal(listed.servedVersion, 1);
      assert.equal(listed.certificate?.currentVersion, 2);
      assert.ok((await getEndpointOverview()).servedNotIssued >= 1);

      // The server is reloaded with the current version.
      server.serve(await files(2));
      const fixed = await endpoints.checkEndpoint(app.admin, { id: added.id });
      assert.equal(fixed.status, "ok", fixed.message);
      assert.equal(fixed.servedAsIssued, true);
      assert.equal(fixed.servedVersion, 2);
      assert.equal((await row(added.id)).fingerprintSha256, versions[1].fingerprintSha256);
      assert.equal(posted("endpoint-stale").length, 1);
      const [again] = await listCertificateEndpoints(certificateId);
      assert.equal(again.servedAsIssued, true);

      // A certificate CertDeck never issued, where this one should be.
      server.serve({ cert: scenarios.certificates.valid.certificatePem + scenarios.intermediatePem, key: scenarios.certificates.valid.privateKeyPem });
      const foreign = await endpoints.checkEndpoint(app.admin, { id: added.id });
      assert.equal(foreign.servedVersion, null);
      assert.match(
        foreign.message,
        /It serves a certificate CertDeck did not issue \(SHA-256 [0-9A-F:]+…, issued by CertDeck Test Intermediate\), not version 2, issued on /,
      );
      server.serve(await files(2));
      await endpoints.removeEndpoint(app.admin, { id: added.id });
    });

    it("watches its deploy targets' verify addresses automatically, per name", async () => {
      const target = await app.modules.db.deployTarget.create({
        data: {
          name: "web nginx",
          type: "nginx",
          config: JSON.stringify({ verifyAddress: `127.0.0.1:${server.port}` }),
          certificates: { create: { certificateId } },
        },
      });
      const pull = await app.modules.db.deployTarget.create({
        data: { name: "puller", type: "pull", config: JSON.stringify({ scope: "certificate-only" }), certificates: { create: { certificateId } } },
      });
      const broken = await app.modules.db.deployTarget.create({
        data: { name: "broken", type: "ssh", config: "{not json", certificates: { create: { certificateId } } },
      });
      const metadata = await app.modules.db.deployTarget.create({
        data: {
          name: "metadata",
          type: "command",
          config: JSON.stringify({ command: "true", verifyAddress: "169.254.169.254:443" }),
          certificates: { create: { certificateId } },
        },
      });
      // As a deploy and "Deploy targets" call it: with the targets the certificate deploys to.
      const { syncCertificateEndpoints } = await import("../lib/domain/deploy/targets/target-endpoint-sync");
      const sync = (now?: Date) => syncCertificateEndpoints(certificateId, { now });
      const now = new Date();
      assert.deepEqual(await sync(now), { created: 2, updated: 0, removed: 0 });
      const automatic = await app.modules.db.endpoint.findMany({ where: { targetId: target.id }, orderBy: { serverName: "asc" } });
      assert.deepEqual(
        automatic.map((endpoint) => [endpoint.host, endpoint.port, endpoint.serverName, endpoint.certificateId]),
        [
          ["127.0.0.1", server.port, "stale.example.test", certificateId],
          ["127.0.0.1", server.port, "www.stale.example.test", certificateId],
        ],
      );
      assert.ok(
        automatic.every((endpoint) => endpoint.nextCheckAt.getTime() === now.getTime()),
        "due at once",
      );
      assert.equal(await app.modules.db.endpoint.count({ where: { targetId: { in: [pull.id, broken.id, metadata.id] } } }), 0);

      // The scheduler's sweep probes them (with the CA bundle the operator adds to them).
      await app.modules.db.endpoint.updateMany({ where: { targetId: target.id }, data: { caBundlePem: pebbleRootPem } });
      const probed = await scheduler.runEndpointSweep(new Date());
      assert.deepEqual([...probed].sort(), automatic.map((endpoint) => endpoint.id).sort());
      for (const endpoint of await app.modules.db.endpoint.findMany({ where: { targetId: target.id } }))
        assert.equal(endpoint.status, "ok", endpoint.message ?? "");

      // Syncing again keeps them (and the CA bundle); an automatic endpoint is removed with its target, not by hand.
      assert.deepEqual(await sync(), { created: 0, updated: 2, removed: 0 });
      assert.equal((await app.modules.db.endpoint.findFirstOrThrow({ where: { targetId: target.id } })).caBundlePem, pebbleRootPem);
      await assert.rejects(endpoints.removeEndpoint(app.admin, { id: automatic[0].id }), {
        code: "conflict",
        userMessage: /deploy target "web nginx" verifies there/,
      });
      await assert.rejects(
        endpoints.editEndpoint(app.admin, { id: automatic[0].id, address: "127.0.0.1:1", serverName: "stale.example.test", certificateId }),
        { userMessage: /watched because the deploy target "web nginx" verifies there/ },
      );

      // The verify address moves (Settings → Deploy targets): the next sweep moves the endpoints.
      const { updateDeployTarget } = await import("../lib/domain/deploy/targets/manage-targets");
      const otherPort = await findFreePort();
      await updateDeployTarget(app.admin, { id: target.id, type: "nginx", name: "web nginx", verifyAddress: `localhost:${otherPort}` });
      assert.equal(
        (await app.modules.db.endpoint.findFirstOrThrow({ where: { targetId: target.id } })).port,
        server.port,
        "moved by the sweep, not in the request",
      );
      await scheduler.runEndpointSweep(new Date());
      const moved = await app.modules.db.endpoint.findMany({ where: { certificateId }, orderBy: { serverName: "asc" } });
      assert.deepEqual(
        moved.map((endpoint) => [endpoint.host, endpoint.port, endpoint.serverName]),
        [
          ["localhost", otherPort, "stale.example.test"],
          ["localhost", otherPort, "www.stale.example.test"],
        ],
      );
      assert.equal((await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: target.id } })).endpointsSyncDue, false, "done once synced");
      // A change elsewhere (its name) leaves the endpoints alone.
      await updateDeployTarget(app.admin, { id: target.id, type: "nginx", name: "web-1 nginx", verifyAddress: `localhost:${otherPort}` });
      assert.equal((await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: target.id } })).endpointsSyncDue, false);

      // After a deploy, the certificate's endpoints are due at once.
      await app.modules.db.endpoint.updateMany({ where: { certificateId }, data: { nextCheckAt: new Date("2100-01-01T00:00:00Z") } });
      const deployedAt = new Date();
      assert.equal(await targets.checkCertificateEndpointsSoon(certificateId, deployedAt), 2);
      assert.equal((await app.modules.db.endpoint.findFirstOrThrow({ where: { certificateId } })).nextCheckAt.getTime(), deployedAt.getTime());

      await app.modules.db.deployTarget.delete({ where: { id: target.id } });
      assert.equal(await app.modules.db.endpoint.count({ where: { certificateId } }), 0, "removed with the target");
      await app.modules.db.deployTarget.deleteMany({ where: { id: { in: [pull.id, broken.id, metadata.id] } } });
      assert.deepEqual(await sync(), { created: 0, updated: 0, removed: 0 }, "no targets: no automatic endpoint");
    });

    it("watches an SSH target that verifies at its host (port 443) and stops when it verifies nothing", async () => {
      const { createDeployTarget, updateDeployTarget } = await import("../lib/domain/deploy/targets/manage-targets");
      const { setCertificateDeployTargets } = await import("../lib/domain/certificates/deploy-targets");
      const ssh = {
        type: "ssh" as const,
        name: "web-2",
        host: "127.0.0.1",
        username: "deploy",
        fullchainPath: "/etc/ssl/shop/fullchain.pem",
        keyPath: "/etc/ssl/shop/privkey.pem",
        verify: true,
        privateKeySource: "generate" as const,
      };
      const created = await createDeployTarget(app.admin, ssh);
      await setCertificateDeployTargets(app.admin, { certificateId, useDefaults: false, targetIds: [created.id] });
      const watched = await app.modules.db.endpoint.findMany({ where: { targetId: created.id }, orderBy: { serverName: "asc" } });
      assert.deepEqual(
        watched.map((endpoint) => [endpoint.host, endpoint.port, endpoint.serverName]),
        [
          ["127.0.0.1", 443, "stale.example.test"],
          ["127.0.0.1", 443, "www.stale.example.test"],
        ],
      );

      await updateDeployTarget(app.admin, { ...ssh, id: created.id, verify: false, privateKeySource: "keep" });
      await scheduler.runEndpointSweep(new Date());
      assert.equal(await app.modules.db.endpoint.count({ where: { targetId: created.id } }), 0);
      await setCertificateDeployTargets(app.admin, { certificateId, useDefaults: true });
      await app.modules.db.deployTarget.delete({ where: { id: created.id } });
    });
  });

  it("lists those that are not fine first when there are more endpoints than the list holds, and counts them all", async () => {
    const { listEndpoints, getEndpointOverview, ENDPOINT_LIST_LIMIT } = await import("../lib/domain/endpoints/queries");
    const later = new Date("2100-01-01T00:00:00Z");
    const earlier = await app.modules.db.endpoint.count();
    const fine = Array.from({ length: ENDPOINT_LIST_LIMIT + 5 }, (_, index) => ({
      host: `fine-${String(index).padStart(5, "0")}.example.test`,
      port: 443,
      status: "ok",
      nextCheckAt: later,
    }));
    await app.modules.db.endpoint.createMany({ data: fine });
    // Last by address: a list cut in address order would leave it out.
    const broken = await app.modules.db.endpoint.create({
      data: { host: "zz-broken.example.test", port: 443, status: "refused", message: "Nothing listens on zz-broken.example.test:443.", nextCheckAt: later },
    });
    try {
      const list = await listEndpoints();
      assert.equal(list.rows.length, ENDPOINT_LIST_LIMIT);
      assert.equal(list.total, earlier + fine.length + 1);
      assert.ok(
        list.rows.some((row) => row.id === broken.id),
        "the problem is listed",
      );
      const overview = await getEndpointOverview();
      assert.equal(overview.total, list.total);
      assert.ok(overview.ok >= fine.length, "every fine endpoint counted, listed or not");
      assert.ok(overview.attention.some((row) => row.id === broken.id));
    } finally {
      await app.modules.db.endpoint.deleteMany({ where: { OR: [{ host: { startsWith: "fine-" } }, { id: broken.id }] } });
    }
  });

  it("the schedule probes due endpoints only, each once even when two sweeps race", async () => {
    const later = new Date("2100-01-01T00:00:00Z");
    await app.modules.db.endpoint.updateMany({ data: { nextCheckAt: later } });
    const due = await add(scenarios.notYetValid.port);
    const notDue = await add(scenarios.selfSigned.port);
    const now = new Date();
    await app.modules.db.endpoint.update({ where: { id: due.id }, data: { nextCheckAt: new Date(now.getTime() - 1000) } });
    await app.modules.db.endpoint.update({ where: { id: notDue.id }, data: { nextCheckAt: new Date(now.getTime() + 60_000) } });
    const checkedBefore = (await row(notDue.id)).checkedAt;

    const [first, second] = await Promise.all([probe.probeDueEndpoints({ now }), probe.probeDueEndpoints({ now })]);
    assert.deepEqual([...first, ...second], [due.id], "the due one, once");
    const probed = await row(due.id);
    assert.equal(probed.status, "not-yet-valid");
    assert.equal(probed.checkedAt?.getTime(), now.getTime());
    assert.equal(probed.nextCheckAt.getTime(), now.getTime() + 3600_000);
    assert.deepEqual((await row(notDue.id)).checkedAt, checkedBefore, "not due: untouched");
    assert.deepEqual(await probe.probeDueEndpoints({ now }), [], "nothing due any more");
  });
});
