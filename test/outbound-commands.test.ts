/**
 * Issue #13, server-side request forgery and hostile names, through the commands the account
 * form, the notification settings and the REST API call. A canary HTTP server on 127.0.0.1
 * records every request: a refused URL, in any spelling, must leave it untouched and store
 * nothing; the same URL with the private-network choice must reach it (so the canary
 * demonstrably sees what gets through).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { HOSTILE_NAMES, LAB_ALLOWED } from "./support/hostile-names";
import { refusalOf } from "./support/refusal";
import { callRoute, type RouteModule } from "./support/route-call";
import { startAppHarness, type AppHarness } from "./support/app-harness";

interface Canary {
  port: number;
  requests: string[];
  close(): Promise<void>;
}

/** Answers every request with a minimal ACME directory, and remembers it. */
async function startCanary(): Promise<Canary> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const base = `http://${request.headers.host}`;
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        newNonce: `${base}/nonce`,
        newAccount: `${base}/account`,
        newOrder: `${base}/order`,
        meta: { termsOfService: "https://ca.example/terms" },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("outbound policy and names at the commands (issue #13)", () => {
  let app: AppHarness;
  let canary: Canary;
  let publicAccountId: string;
  let labAccountId: string;
  let writeToken: string;
  let accounts: typeof import("../lib/domain/accounts/directory-facts");
  let channels: typeof import("../lib/domain/notifications/channels");

  before(async () => {
    app = await startAppHarness();
    canary = await startCanary();
    accounts = await import("../lib/domain/accounts/directory-facts");
    channels = await import("../lib/domain/notifications/channels");
    // A registered account at a public CA (never contacted here): its certificates may not name
    // loopback or private addresses.
    const publicAccount = await app.modules.db.acmeAccount.create({
      data: {
        label: "Public CA",
        directoryUrl: "https://ca.example/dir",
        email: "ops@example.test",
        accountKeyEnc: "unused",
        status: "valid",
        accountUrl: "https://ca.example/acct/1",
      },
    });
    publicAccountId = publicAccount.id;
    labAccountId = await app.registerPebbleAccount();
    const { createApiToken } = await import("../lib/domain/api-tokens/api-tokens");
    const created = await createApiToken(app.admin, { name: "names", scope: "write" });
    assert.ok(created.token);
    writeToken = created.token;
  });
  after(async () => {
    await canary?.close();
    await app?.stop();
  });
  beforeEach(() => {
    canary.requests.length = 0;
  });

  const loopbackSpellings = () => [
    `http://127.0.0.1:${canary.port}/latest/meta-data/`,
    `http://2130706433:${canary.port}/latest/meta-data/`,
    `http://[::ffff:7f00:1]:${canary.port}/latest/meta-data/`,
    `http://0x7f.1:${canary.port}/dir`,
    `http://0177.0.0.1:${canary.port}/dir`,
    `https://127.1:${canary.port}/dir`,
    `https://localhost:${canary.port}/dir`,
    `https://[::1]:${canary.port}/dir`,
  ];

  it("'Check directory' and 'Register account' refuse loopback directory URLs in every spelling: no request, nothing stored", async () => {
    const accountsBefore = await app.modules.db.acmeAccount.count();
    const jobsBefore = await app.modules.db.job.count();
    for (const directoryUrl of loopbackSpellings()) {
      const lookup = await refusalOf(accounts.lookUpDirectory(app.admin, { directoryUrl }));
      assert.equal(lookup.code, "invalid_input", directoryUrl);
      assert.ok(lookup.fieldErrors.directoryUrl?.[0], `${directoryUrl}: ${JSON.stringify(lookup)}`);
      assert.match(lookup.userMessage, /^CertDeck (does not connect to|connects only to https)/, directoryUrl);
      const create = await refusalOf(app.modules.createAccount(app.admin, { directoryUrl, email: "ops@example.test", termsAgreed: true }));
      assert.equal(create.code, "invalid_input", directoryUrl);
      assert.ok(create.fieldErrors.directoryUrl?.[0], `${directoryUrl}: ${JSON.stringify(create)}`);
    }
    const loopback = await refusalOf(accounts.lookUpDirectory(app.admin, { directoryUrl: `https://127.0.0.1:${canary.port}/dir` }));
    assert.equal(
      loopback.userMessage,
      `CertDeck does not connect to 127.0.0.1: it is a loopback address (127.0.0.0/8). Only a lab or private CA (Pebble, step-ca) lives there: choose "This CA is on my private network or this machine (lab CA, step-ca)" for the account to allow it.`,
    );
    assert.deepEqual(canary.requests, [], "the canary saw no request");
    assert.equal(await app.modules.db.acmeAccount.count(), accountsBefore, "no account stored");
    assert.equal(await app.modules.db.job.count(), jobsBefore, "no registration queued");
  });

  it("refuses metadata addresses even for an account on a private network", async () => {
    const before = await app.modules.db.acmeAccount.count();
    for (const directoryUrl of [
      "http://169.254.169.254/latest/meta-data/",
      "http://2852039166/latest/meta-data/",
      "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://[fd00:ec2::254]/latest/meta-data/",
    ]) {
      for (const privateNetwork of [false, true]) {
        // Over http, a public account is refused for the scheme already; a private one for the address.
        const expected = privateNetwork || directoryUrl.startsWith("https:") ? /cloud metadata/ : /^CertDeck connects only to https:\/\/ URLs here/;
        const lookup = await refusalOf(accounts.lookUpDirectory(app.admin, { directoryUrl, privateNetwork }));
        assert.match(lookup.userMessage, expected, `${directoryUrl} ${privateNetwork}: ${lookup.userMessage}`);
        assert.ok(lookup.fieldErrors.directoryUrl?.[0], directoryUrl);
        const create = await refusalOf(app.modules.createAccount(app.admin, { directoryUrl, email: "ops@example.test", termsAgreed: true, privateNetwork }));
        assert.match(create.userMessage, expected, directoryUrl);
      }
    }
    assert.equal(await app.modules.db.acmeAccount.count(), before);
  });

  it("the private-network choice reaches the same canary: the refusal is the policy, not a broken network", async () => {
    const facts = await accounts.lookUpDirectory(app.admin, { directoryUrl: `http://127.0.0.1:${canary.port}/dir`, privateNetwork: true });
    assert.equal(facts.termsOfService, "https://ca.example/terms");
    assert.deepEqual(canary.requests, ["GET /dir"]);
  });

  it("'Register again' re-checks the stored directory URL under the account's choice", async () => {
    const stored = await app.modules.db.acmeAccount.create({
      data: {
        label: "Stored before the policy",
        directoryUrl: `http://127.0.0.1:${canary.port}/dir`,
        email: "ops@example.test",
        accountKeyEnc: "unused",
        status: "failed",
      },
    });
    const { retryRegistration } = await import("../lib/domain/accounts/retry-registration");
    const refused = await refusalOf(retryRegistration(app.admin, { id: stored.id }));
    assert.match(refused.userMessage, /^CertDeck connects only to https:\/\/ URLs here/);
    assert.equal((await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: stored.id } })).status, "failed");
    assert.equal(await app.modules.db.job.count({ where: { accountId: stored.id } }), 0);
    assert.deepEqual(canary.requests, []);
    await app.modules.db.acmeAccount.delete({ where: { id: stored.id } });
  });

  it("refuses webhook URLs to metadata, loopback, with line breaks or over http, before storing anything", async () => {
    const before = await app.modules.db.notificationChannel.count();
    const refusedAlways = [
      "https://169.254.169.254/hook",
      "https://2852039166/hook",
      "https://[::ffff:a9fe:a9fe]/hook",
      "https://[::ffff:169.254.169.254]/hook",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://hooks.example.com/services/T0\r\nX-Injected: 1",
      "https://hooks.example.com/services/T0\nB",
      "https://hooks.example.com/services/%0d%0aX-Injected:%201",
      "https://hooks.exa\tmple.com/services/T0",
    ];
    const refusedPublic = [
      `http://127.0.0.1:${canary.port}/hook`,
      `https://127.0.0.1:${canary.port}/hook`,
      `https://2130706433:${canary.port}/hook`,
      `https://[::ffff:7f00:1]:${canary.port}/hook`,
      `https://localhost:${canary.port}/hook`,
      "https://10.1.2.3/hooks/mattermost",
      "http://hooks.example.com/services/T0/secret",
    ];
    for (const url of refusedAlways) {
      for (const privateNetwork of [false, true]) {
        const refused = await refusalOf(channels.addNotificationChannel(app.admin, { type: "webhook", url, privateNetwork }));
        assert.equal(refused.code, "invalid_input", url);
        assert.ok(refused.fieldErrors.url?.[0], `${JSON.stringify(url)}: ${JSON.stringify(refused)}`);
      }
    }
    for (const url of refusedPublic) {
      const refused = await refusalOf(channels.addNotificationChannel(app.admin, { type: "webhook", url }));
      assert.ok(refused.fieldErrors.url?.[0], `${url}: ${JSON.stringify(refused)}`);
    }
    const mattermost = await refusalOf(channels.addNotificationChannel(app.admin, { type: "webhook", url: "https://10.1.2.3/hooks/mattermost" }));
    assert.match(
      mattermost.userMessage,
      /10\.1\.2\.3: it is a private network address .*"This webhook or SMTP server is on my private network or this machine"/,
    );
    for (const host of ["169.254.169.254", "metadata.google.internal", "::ffff:169.254.169.254", "127.0.0.1", "localhost"]) {
      const refused = await refusalOf(
        channels.addNotificationChannel(app.admin, { type: "email", host, security: "none", from: "certdeck@example.test", to: "ops@example.test" }),
      );
      assert.ok(refused.fieldErrors.host?.[0], `${host}: ${JSON.stringify(refused)}`);
    }
    assert.equal(await app.modules.db.notificationChannel.count(), before, "nothing stored");
    assert.deepEqual(canary.requests, [], "the canary saw no request");

    // A Mattermost on the LAN, or a relay on this machine, with the choice made: stored.
    const lan = await channels.addNotificationChannel(app.admin, { type: "webhook", url: "https://10.1.2.3/hooks/mattermost", privateNetwork: true });
    const relay = await channels.addNotificationChannel(app.admin, {
      type: "email",
      host: "127.0.0.1",
      security: "none",
      from: "certdeck@example.test",
      to: "ops@example.test",
      privateNetwork: true,
    });
    const { listNotificationChannels } = await import("../lib/domain/notifications/queries");
    const rows = await listNotificationChannels();
    assert.deepEqual(
      rows.filter((row) => [lan.id, relay.id].includes(row.id)).map((row) => row.privateNetwork),
      [true, true],
    );
    // Turning the choice off while the server needs it is refused.
    const off = await refusalOf(channels.setNotificationChannelNetwork(app.admin, { id: lan.id, privateNetwork: false }));
    assert.equal(off.code, "conflict");
    assert.match(off.userMessage, /needs it: CertDeck does not connect to 10\.1\.2\.3/);
    for (const id of [lan.id, relay.id]) await channels.deleteNotificationChannel(app.admin, { id });
  });

  it("a channel stored before the policy, pointing at this machine, is not called when sent to", async () => {
    const { encryptSecret } = await import("../lib/data/secret-box");
    const stored = await app.modules.db.notificationChannel.create({
      data: { type: "webhook", name: "Old hook", configEnc: encryptSecret(JSON.stringify({ type: "webhook", url: `http://127.0.0.1:${canary.port}/hook` })) },
    });
    const result = await channels.testNotificationChannel(app.admin, { id: stored.id });
    assert.deepEqual(result, {
      ok: false,
      error: `The webhook at http://127.0.0.1:${canary.port}/… was not called: CertDeck connects only to https:// URLs here; 127.0.0.1:${canary.port} was given with http://, which sends everything in clear.`,
    });
    const { sendNotification } = await import("../lib/domain/notifications/send-notification");
    await sendNotification({ type: "renewal-failed", certificateId: "c", certificateName: "shop.example.test", reason: "test", jobId: "j" });
    const delivery = await app.modules.db.notificationDelivery.findFirstOrThrow({ where: { channelId: stored.id } });
    assert.equal(delivery.status, "failed");
    assert.deepEqual(canary.requests, [], "the canary saw no request");

    // The same channel with the choice made reaches the canary.
    await channels.setNotificationChannelNetwork(app.admin, { id: stored.id, privateNetwork: true });
    assert.deepEqual(await channels.testNotificationChannel(app.admin, { id: stored.id }), { ok: true });
    assert.deepEqual(canary.requests, ["POST /hook"]);
    await channels.deleteNotificationChannel(app.admin, { id: stored.id });
  });

  it("refuses the hostile names through the REST API, as an array and as one string, and stores nothing", async () => {
    const route = (await import("../app/api/v1/certificates/route")) as RouteModule;
    const create = (names: unknown, accountId: string) =>
      callRoute(route, "POST", "/api/v1/certificates", { token: writeToken, body: { names, accountId, challengeMethod: "http-01-app", keyType: "ec-p256" } });

    for (const names of [[...HOSTILE_NAMES], HOSTILE_NAMES.join("\n")]) {
      const response = await create(names, publicAccountId);
      const body = (await response.json()) as { error: { code: string; fields?: Record<string, string[]> } };
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.deepEqual(Object.keys(body.error.fields ?? {}), ["names"]);
      const messages = body.error.fields!.names;
      assert.equal(messages.length, HOSTILE_NAMES.length, messages.join("\n"));
      HOSTILE_NAMES.forEach((entry, index) => assert.ok(messages[index].startsWith(`${JSON.stringify(entry)}: `), messages[index]));
    }
    // One at a time too: each alone is refused.
    for (const name of HOSTILE_NAMES) {
      const response = await create([name], publicAccountId);
      assert.equal(response.status, 422, name);
    }
    assert.equal(await app.modules.db.certificate.count(), 0, "nothing stored");

    // On an account on a private network, loopback and private addresses are names; the others are not.
    for (const name of HOSTILE_NAMES.filter((entry) => !LAB_ALLOWED.has(entry))) {
      const response = await create([name], labAccountId);
      assert.equal(response.status, 422, name);
    }
    assert.equal(await app.modules.db.certificate.count(), 0, "nothing stored");
  });

  it("the pre-flight 'Check' of the add form and the challenge settings follow the account too", async () => {
    const { checkNewCertificate } = await import("../lib/domain/preflight/preflight-commands");
    const refused = await refusalOf(
      checkNewCertificate(app.admin, { names: "127.0.0.1", accountId: publicAccountId, challengeMethod: "http-01-standalone", keyType: "ec-p256" }),
    );
    assert.match(refused.fieldErrors.names?.[0] ?? "", /^"127\.0\.0\.1": 127\.0\.0\.1 is a loopback address/);

    // A certificate of the lab account for 127.0.0.1; its account turned public is refused while it exists.
    const { setAccountNetwork } = await import("../lib/domain/accounts/set-account-network");
    const created = await app.modules.createCertificate(app.admin, {
      names: "127.0.0.1",
      accountId: labAccountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    await app.waitForJob(created.jobId, 60_000);
    const off = await refusalOf(setAccountNetwork(app.admin, { id: labAccountId, privateNetwork: false }));
    assert.equal(off.code, "conflict");
    assert.match(off.userMessage, /needs it: CertDeck does not connect to 127\.0\.0\.1/);
    const { deleteCertificate } = await import("../lib/domain/certificates/delete-certificate");
    await deleteCertificate(app.admin, { id: created.certificateId });
  });
});
