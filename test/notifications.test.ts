import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { openTestDatabase } from "./support/test-database";
import { SMTPServer } from "smtp-server";

/**
 * Notifications end to end on 127.0.0.1: a real SMTP server (smtp-server) and a real HTTP
 * server receive what CertDeck sends; deliveries land in a real SQLite file.
 */
interface ReceivedMail {
  from: string;
  rcptTo: string[];
  raw: string;
}

/** Headers and the decoded text body of a plain single-part message as nodemailer writes it. */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = rest.join("\r\n\r\n");
  if (/quoted-printable/i.test(headers["content-transfer-encoding"] ?? "")) {
    body = Buffer.from(
      body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  } else if (/base64/i.test(headers["content-transfer-encoding"] ?? "")) {
    body = Buffer.from(body, "base64").toString("utf8");
  }
  return { headers, body };
}

async function startSmtpServer(options: { rejectLogin?: boolean } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    closeTimeout: 100,
    logger: false,
    onAuth(_auth, _session, callback) {
      if (options.rejectLogin) return callback(new Error("Authentication credentials invalid"));
      callback(null, { user: "someone" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function startWebhookServer(status = 204) {
  const received: Array<Record<string, unknown>> = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ ...JSON.parse(body), $contentType: request.headers["content-type"], $path: request.url });
      response.writeHead(status, { "content-type": "text/plain" }).end(status === 204 ? undefined : "invalid_token");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("notifications", () => {
  const day = 24 * 3600 * 1000;
  let modules: {
    db: typeof import("../lib/data/client").db;
    encryptSecret: typeof import("../lib/data/secret-box").encryptSecret;
    send: typeof import("../lib/domain/notifications/send-notification");
    expiry: typeof import("../lib/domain/notifications/expiry-warnings");
    events: typeof import("../lib/domain/notifications/events");
  };
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let webhook: Awaited<ReturnType<typeof startWebhookServer>>;
  let accountId: string;

  before(async () => {
    await openTestDatabase({ label: "notifications" });
    process.env.CERTDECK_TIME_ZONE = "UTC";
    modules = {
      db: (await import("../lib/data/client")).db,
      encryptSecret: (await import("../lib/data/secret-box")).encryptSecret,
      send: await import("../lib/domain/notifications/send-notification"),
      expiry: await import("../lib/domain/notifications/expiry-warnings"),
      events: await import("../lib/domain/notifications/events"),
    };
    smtp = await startSmtpServer();
    webhook = await startWebhookServer();
    const account = await modules.db.acmeAccount.create({
      data: { label: "test", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "v1:x", status: "valid" },
    });
    accountId = account.id;
  });

  after(async () => {
    await smtp?.close();
    await webhook?.close();
    await modules?.db.$disconnect();
  });

  beforeEach(async () => {
    await modules.db.notificationChannel.deleteMany();
    smtp.received.length = 0;
    webhook.received.length = 0;
  });

  const addChannel = async (name: string, config: Record<string, unknown>, isEnabled = true) =>
    modules.db.notificationChannel.create({
      data: { type: String(config.type), name, configEnc: modules.encryptSecret(JSON.stringify(config)), isEnabled },
      select: { id: true },
    });
  const emailConfig = (port: number, extra: Record<string, unknown> = {}) => ({
    type: "email",
    host: "127.0.0.1",
    port,
    security: "none",
    from: "certdeck@example.test",
    to: ["ops@example.test", "oncall@example.test"],
    // Servers on this machine: channels saved with "on my private network or this machine".
    privateNetwork: true,
    ...extra,
  });
  const webhookConfig = (port: number, pathname = "/hooks/T000/secret-token") => ({
    type: "webhook",
    url: `http://127.0.0.1:${port}${pathname}`,
    privateNetwork: true,
  });
  const deliveries = () =>
    modules.db.notificationDelivery.findMany({
      orderBy: { createdAt: "asc" },
      select: { eventKey: true, status: true, error: true, subject: true, certificateId: true, channel: { select: { name: true } } },
    });

  const renewalFailed = (jobId: string) =>
    ({
      type: "renewal-failed",
      certificateId: "cert-1",
      certificateName: "shop.example.test",
      reason: "The CA could not connect to shop.example.test on port 80 (connection refused)",
      jobId,
    }) as const;

  it("mails and posts a failed renewal, once even when sent twice at the same time", async () => {
    await addChannel("Ops mail", emailConfig(smtp.port));
    await addChannel("Chat", webhookConfig(webhook.port));
    await addChannel("Switched off", webhookConfig(webhook.port, "/off"), false);

    await Promise.all([modules.send.sendNotification(renewalFailed("job-1")), modules.send.sendNotification(renewalFailed("job-1"))]);
    await modules.send.sendNotification(renewalFailed("job-1"));

    assert.equal(smtp.received.length, 1, "one e-mail");
    const [mail] = smtp.received;
    assert.equal(mail.from, "certdeck@example.test");
    assert.deepEqual(mail.rcptTo, ["ops@example.test", "oncall@example.test"]);
    const { headers, body } = parseMail(mail.raw);
    assert.equal(headers.subject, "Renewal of shop.example.test failed");
    assert.equal(headers.to, "ops@example.test, oncall@example.test");
    assert.equal(headers["auto-submitted"], "auto-generated");
    assert.match(body.replace(/\r\n/g, "\n"), /Reason: The CA could not connect to shop\.example\.test on port 80 \(connection refused\)\./);

    assert.equal(webhook.received.length, 1, "one webhook call, none to the disabled channel");
    const [post] = webhook.received;
    assert.equal(post.$contentType, "application/json");
    assert.equal(post.$path, "/hooks/T000/secret-token");
    assert.equal(post.event, "renewal-failed");
    assert.match(String(post.text), /shop\.example\.test/);
    assert.match(String(post.text), /connection refused/);
    assert.deepEqual(post.certificate, { id: "cert-1", name: "shop.example.test" });
    assert.equal(post.jobId, "job-1");
    assert.ok(!Number.isNaN(Date.parse(String(post.sentAt))));

    const rows = await deliveries();
    assert.deepEqual(rows.map((row) => [row.channel.name, row.eventKey, row.status, row.error]).sort(), [
      ["Chat", "renewal-failed:job-1", "sent", null],
      ["Ops mail", "renewal-failed:job-1", "sent", null],
    ]);
    assert.equal(rows[0].certificateId, "cert-1");
    assert.equal(rows[0].subject, "Renewal of shop.example.test failed");
  });

  it("records a channel at a closed port as failed and still delivers to the others", async () => {
    const deadPort = await closedPort();
    await addChannel("Dead mail", emailConfig(deadPort));
    await addChannel("Dead hook", webhookConfig(deadPort));
    const failing = await startWebhookServer(403);
    try {
      await addChannel("Refusing hook", webhookConfig(failing.port));
      await addChannel("Chat", webhookConfig(webhook.port));
      await addChannel("Ops mail", emailConfig(smtp.port));

      await modules.send.sendNotification(renewalFailed("job-2"));

      assert.equal(webhook.received.length, 1);
      assert.equal(smtp.received.length, 1);
      const byName = Object.fromEntries((await deliveries()).map((row) => [row.channel.name, row]));
      assert.equal(byName["Chat"].status, "sent");
      assert.equal(byName["Ops mail"].status, "sent");
      assert.equal(byName["Dead mail"].status, "failed");
      assert.equal(
        byName["Dead mail"].error,
        `The SMTP server at 127.0.0.1:${deadPort} refused the connection: nothing listens on that port. Check the host name and the port.`,
      );
      assert.equal(byName["Dead hook"].status, "failed");
      assert.equal(
        byName["Dead hook"].error,
        `The webhook at http://127.0.0.1:${deadPort}/… refused the connection: nothing listens on that port. Check the host name and the port.`,
      );
      assert.equal(byName["Refusing hook"].status, "failed");
      assert.equal(
        byName["Refusing hook"].error,
        `The webhook at http://127.0.0.1:${failing.port}/… answered HTTP 403: "invalid_token". Check the URL and its token.`,
      );
      for (const row of Object.values(byName)) assert.doesNotMatch(row.error ?? "", /secret-token/, "never the webhook's path");
    } finally {
      await failing.close();
    }
  });

  it("tests a channel without recording a delivery, and says why a login was refused", async () => {
    const chat = await addChannel("Chat", webhookConfig(webhook.port), false);
    assert.deepEqual(await modules.send.sendTestNotification(chat.id), { ok: true });
    assert.equal(webhook.received.length, 1, "a disabled channel can still be tested");
    assert.equal(webhook.received[0].event, "test");
    assert.match(String(webhook.received[0].text), /test from CertDeck/);

    const mail = await addChannel("Ops mail", emailConfig(smtp.port));
    assert.deepEqual(await modules.send.sendTestNotification(mail.id), { ok: true });
    assert.equal(parseMail(smtp.received[0].raw).headers.subject, "CertDeck test notification");

    const strict = await startSmtpServer({ rejectLogin: true });
    try {
      const guarded = await addChannel("Guarded mail", emailConfig(strict.port, { username: "certdeck", password: "hunter2-very-secret" }));
      const result = await modules.send.sendTestNotification(guarded.id);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.match(result.error, new RegExp(`^The SMTP server at 127\\.0\\.0\\.1:${strict.port} refused the login\\.`));
      assert.doesNotMatch(result.error, /hunter2/);
      assert.equal(strict.received.length, 0);
    } finally {
      await strict.close();
    }

    await assert.rejects(modules.send.sendTestNotification("doesnotexist"), { code: "not_found", userMessage: "That channel no longer exists." });
    assert.equal((await deliveries()).length, 0, "tests are not deliveries");
  });

  it("warns once per threshold about certificates close to expiry", async () => {
    await modules.db.notificationDelivery.deleteMany();
    await addChannel("Chat", webhookConfig(webhook.port));
    const now = new Date("2026-11-26T12:00:00Z");
    const seed = async (name: string, daysLeft: number) => {
      const notAfter = new Date(now.getTime() + daysLeft * day);
      const certificate = await modules.db.certificate.create({
        data: {
          name,
          identifiers: JSON.stringify([{ type: "dns", value: name }]),
          keyType: "ec-p256",
          challengeMethod: "http-01-app",
          status: "valid",
          accountId,
          notAfter,
        },
      });
      const version = await modules.db.certificateVersion.create({
        data: {
          certificateId: certificate.id,
          version: 1,
          serial: "01",
          notBefore: new Date(notAfter.getTime() - 90 * day),
          notAfter,
          issuer: "Test CA",
          fingerprintSha256: "00",
          chainPem: "",
          privateKeyEnc: "v1:x",
        },
      });
      await modules.db.certificate.update({ where: { id: certificate.id }, data: { currentVersionId: version.id } });
      return { certificateId: certificate.id, versionId: version.id };
    };
    const far = await seed("far.example.test", 20);
    const ten = await seed("ten.example.test", 10);
    const five = await seed("five.example.test", 5);
    const last = await seed("last.example.test", 0.5);
    await seed("gone.example.test", -1);

    assert.equal(await modules.expiry.sendExpiryWarnings(now), 3);
    const keys = () =>
      modules.db.notificationDelivery.findMany({ select: { eventKey: true }, orderBy: { eventKey: "asc" } }).then((rows) => rows.map((row) => row.eventKey));
    assert.deepEqual(await keys(), [`expiring:14:${ten.versionId}`, `expiring:1:${last.versionId}`, `expiring:7:${five.versionId}`].sort());
    const byName = Object.fromEntries(webhook.received.map((post) => [(post.certificate as { name: string }).name, post]));
    assert.deepEqual(Object.keys(byName).sort(), ["five.example.test", "last.example.test", "ten.example.test"]);
    assert.equal(byName["five.example.test"].thresholdDays, 7);
    assert.equal(byName["ten.example.test"].thresholdDays, 14);
    assert.equal(byName["last.example.test"].thresholdDays, 1);
    assert.match(String(byName["five.example.test"].text), /five\.example\.test expires within 7 days/);
    assert.match(String(byName["five.example.test"].text), /expires on Tue, 1 Dec 2026, 12:00 UTC/);

    assert.equal(await modules.expiry.sendExpiryWarnings(now), 0, "the next tick sends nothing");
    assert.equal(await modules.expiry.sendExpiryWarnings(new Date(now.getTime() + 3600 * 1000)), 0);
    assert.equal(webhook.received.length, 3);

    // Three days later: ten is at 7 days, five at 2 days; last has expired, far is at 17 days.
    const later = new Date(now.getTime() + 3 * day);
    assert.equal(await modules.expiry.sendExpiryWarnings(later), 2);
    assert.deepEqual(
      webhook.received.slice(3).map((post) => [(post.certificate as { name: string }).name, post.thresholdDays]),
      [
        ["five.example.test", 3],
        ["ten.example.test", 7],
      ],
    );

    // A renewal makes a new current version far from expiry: the warnings stop.
    const renewed = await modules.db.certificateVersion.create({
      data: {
        certificateId: five.certificateId,
        version: 2,
        serial: "02",
        notBefore: later,
        notAfter: new Date(later.getTime() + 90 * day),
        issuer: "Test CA",
        fingerprintSha256: "01",
        chainPem: "",
        privateKeyEnc: "v1:x",
      },
    });
    await modules.db.certificate.update({ where: { id: five.certificateId }, data: { currentVersionId: renewed.id, notAfter: renewed.notAfter } });
    assert.equal(await modules.expiry.sendExpiryWarnings(new Date(later.getTime() + 1.5 * day)), 0, "ten's 7-day warning is out, five is renewed");
    assert.equal(await modules.expiry.sendExpiryWarnings(new Date(later.getTime() + 4.5 * day)), 2, "ten reaches 3 days, far 14 days");
    assert.deepEqual(
      webhook.received.slice(5).map((post) => [(post.certificate as { name: string }).name, post.thresholdDays]),
      [
        ["ten.example.test", 3],
        ["far.example.test", 14],
      ],
    );
    assert.equal(await modules.db.notificationDelivery.count({ where: { eventKey: { endsWith: far.versionId } } }), 1);
  });
});
