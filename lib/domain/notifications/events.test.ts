import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { createChannelSchema, describeChannelTarget, maskWebhookUrl, splitAddressList } from "./channel-config";
import { buildWebhookPayload, chooseExpiryThreshold, describeEvent, eventKey, type NotificationEvent } from "./events";

const now = new Date("2026-11-26T12:00:00Z");
const day = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(now.getTime() + days * day);

const fieldsOf = (result: { error?: z.ZodError }) => (result.error ? z.flattenError(result.error).fieldErrors : {});

const renewalFailed: NotificationEvent = {
  type: "renewal-failed",
  certificateId: "c1",
  certificateName: "shop.example.com",
  reason: "The CA could not connect to shop.example.com on port 80 (connection refused)",
  jobId: "j1",
};
const expiring: NotificationEvent = {
  type: "expiring",
  certificateId: "c1",
  certificateName: "shop.example.com",
  versionId: "v3",
  notAfter: new Date("2026-12-03T12:00:00Z"),
  thresholdDays: 7,
};
const deployFailed: NotificationEvent = {
  type: "deploy-failed",
  certificateId: "c1",
  certificateName: "shop.example.com",
  versionId: "v4",
  version: 4,
  reason: "The deploy hook exited with code 1: nginx: configuration file test failed.",
};
const recovered: NotificationEvent = {
  type: "recovered",
  certificateId: "c1",
  certificateName: "shop.example.com",
  versionId: "v4",
  notAfter: new Date("2027-02-24T12:00:00Z"),
};

describe("eventKey", () => {
  it("names each occurrence once", () => {
    assert.equal(eventKey(renewalFailed), "renewal-failed:j1");
    assert.equal(eventKey(expiring), "expiring:7:v3");
    assert.equal(eventKey(deployFailed), "deploy-failed:v4");
    assert.equal(eventKey(recovered), "recovered:v4");
  });
  it("differs per threshold of the same version", () => {
    assert.notEqual(eventKey({ ...expiring, thresholdDays: 3 } as NotificationEvent), eventKey(expiring));
  });
});

describe("chooseExpiryThreshold", () => {
  it("says nothing with more than 14 days left or after expiry", () => {
    assert.equal(chooseExpiryThreshold(inDays(20), now), null);
    assert.equal(chooseExpiryThreshold(inDays(14.01), now), null);
    assert.equal(chooseExpiryThreshold(inDays(0), now), null);
    assert.equal(chooseExpiryThreshold(inDays(-1), now), null);
  });
  it("picks the smallest threshold that is at least the days left", () => {
    assert.equal(chooseExpiryThreshold(inDays(14), now), 14);
    assert.equal(chooseExpiryThreshold(inDays(10), now), 14);
    assert.equal(chooseExpiryThreshold(inDays(7), now), 7);
    assert.equal(chooseExpiryThreshold(inDays(5), now), 7, "found at 5 days: the 7-day warning only");
    assert.equal(chooseExpiryThreshold(inDays(3), now), 3);
    assert.equal(chooseExpiryThreshold(inDays(2.5), now), 3);
    assert.equal(chooseExpiryThreshold(inDays(1), now), 1);
    assert.equal(chooseExpiryThreshold(inDays(0.5), now), 1);
  });
});

describe("describeEvent", () => {
  it("a failed renewal names the certificate, the reason and what to do", () => {
    const { subject, text } = describeEvent(renewalFailed, "UTC");
    assert.equal(subject, "Renewal of shop.example.com failed");
    assert.match(text, /could not renew the certificate shop\.example\.com/);
    assert.match(text, /Reason: The CA could not connect to shop\.example\.com on port 80 \(connection refused\)\./);
    assert.match(text, /What to do: .*press Renew/);
  });
  it("an expiry warning gives the date in the configured time zone", () => {
    const { subject, text } = describeEvent(expiring, "Europe/Berlin");
    assert.equal(subject, "shop.example.com expires within 7 days");
    assert.match(text, /expires on Thu, 3 Dec 2026, 13:00 CET/);
    assert.match(text, /What to do:/);
    assert.equal(describeEvent({ ...expiring, thresholdDays: 1 } as NotificationEvent, "UTC").subject, "shop.example.com expires within 1 day");
  });
  it("a failed deploy keeps the reason's own full stop", () => {
    const { subject, text } = describeEvent(deployFailed, "UTC");
    assert.equal(subject, "shop.example.com was renewed but not deployed");
    assert.match(text, /version 4/);
    assert.match(text, /Reason: The deploy hook exited with code 1: nginx: configuration file test failed\.\n/);
  });
  it("a recovery says there is nothing to do", () => {
    const { subject, text } = describeEvent(recovered, "UTC");
    assert.equal(subject, "shop.example.com is renewed again");
    assert.match(text, /valid until Wed, 24 Feb 2027, 12:00 UTC/);
    assert.match(text, /Nothing to do\./);
  });
});

describe("buildWebhookPayload", () => {
  it("has text, event, certificate, the event's own fields and sentAt", () => {
    assert.deepEqual(buildWebhookPayload(expiring, "hello", now), {
      text: "hello",
      event: "expiring",
      certificate: { id: "c1", name: "shop.example.com" },
      versionId: "v3",
      notAfter: "2026-12-03T12:00:00.000Z",
      thresholdDays: 7,
      sentAt: "2026-11-26T12:00:00.000Z",
    });
    assert.deepEqual(Object.keys(buildWebhookPayload(renewalFailed, "x", now)), ["text", "event", "certificate", "reason", "jobId", "sentAt"]);
  });
});

describe("channel settings", () => {
  it("splits recipients on commas, semicolons and whitespace", () => {
    assert.deepEqual(splitAddressList(" a@x.example, b@x.example;c@x.example\nA@x.example a@x.example "), [
      "a@x.example",
      "b@x.example",
      "c@x.example",
      "A@x.example",
    ]);
  });

  it("fills in the port and a name, and turns recipients into a list", () => {
    const parsed = createChannelSchema.parse({
      type: "email",
      host: "mail.example.com",
      security: "starttls",
      from: "certdeck@example.com",
      to: "ops@example.com, dev@example.com",
    });
    assert.deepEqual(parsed, {
      name: "E-mail to ops@example.com and 1 more",
      config: {
        type: "email",
        host: "mail.example.com",
        port: 587,
        security: "starttls",
        from: "certdeck@example.com",
        to: ["ops@example.com", "dev@example.com"],
      },
    });
    const tls = createChannelSchema.parse({ type: "email", host: "mail.example.com", security: "tls", from: "certdeck@example.com", to: "ops@example.com" });
    assert.equal(tls.config.type === "email" && tls.config.port, 465);
  });

  it("refuses bad input field by field", () => {
    const result = createChannelSchema.safeParse({
      type: "email",
      host: "smtp://mail",
      port: 99999,
      security: "starttls",
      from: "nobody",
      to: "ops@example.com, not-an-address",
    });
    assert.equal(result.success, false);
    const fields = Object.keys(fieldsOf(result)).sort();
    assert.deepEqual(fields, ["from", "host", "port", "to"]);
  });

  it("wants both halves of a login, and no password in clear text", () => {
    const half = createChannelSchema.safeParse({
      type: "email",
      host: "mail.example.com",
      security: "starttls",
      username: "me",
      from: "a@example.com",
      to: "b@example.com",
    });
    assert.deepEqual(Object.keys(fieldsOf(half)), ["password"]);
    const clear = createChannelSchema.safeParse({
      type: "email",
      host: "mail.example.com",
      security: "none",
      username: "me",
      password: "pw",
      from: "a@example.com",
      to: "b@example.com",
    });
    assert.deepEqual(Object.keys(fieldsOf(clear)), ["security"]);
  });

  it("accepts http and https webhooks only, and never shows their path", () => {
    assert.equal(createChannelSchema.safeParse({ type: "webhook", url: "ftp://example.com/x" }).success, false);
    const parsed = createChannelSchema.parse({ type: "webhook", url: "https://hooks.slack.com/services/T000/B000/secret-token" });
    assert.equal(parsed.name, "Webhook to hooks.slack.com");
    assert.equal(describeChannelTarget(parsed.config), "https://hooks.slack.com/…");
    assert.equal(maskWebhookUrl("http://127.0.0.1:8080/hooks/abc?token=x"), "http://127.0.0.1:8080/…");
    assert.equal(
      describeChannelTarget({
        type: "email",
        host: "mail.example.com",
        port: 587,
        security: "starttls",
        password: "pw",
        username: "u",
        from: "a@example.com",
        to: ["b@example.com", "c@example.com"],
      }),
      "b@example.com, c@example.com via mail.example.com:587",
    );
  });

  it("refuses an unknown channel type", () => {
    assert.deepEqual(Object.keys(fieldsOf(createChannelSchema.safeParse({ type: "sms" }))), ["type"]);
  });
});
