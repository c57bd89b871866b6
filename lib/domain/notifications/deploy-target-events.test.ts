import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildWebhookPayload, describeEvent, eventKey, type NotificationEvent } from "./events";

const target = { id: "t1", name: "web-1" };
const rolledBack: NotificationEvent = {
  type: "deploy-failed",
  certificateId: "c1",
  certificateName: "shop.example.com",
  versionId: "v4",
  version: 4,
  reason: "Deploy failed, rolled back to version 3: nginx still serves version 3 at 127.0.0.1:443 for shop.example.com",
  target,
  rolledBack: true,
};
const recovered: NotificationEvent = {
  type: "deploy-recovered",
  certificateId: "c1",
  certificateName: "shop.example.com",
  versionId: "v4",
  version: 4,
  target,
};

describe("deploy target notifications", () => {
  it("go out once per version and target, apart from the deploy hook's", () => {
    assert.equal(eventKey(rolledBack), "deploy-failed:v4:t1");
    assert.equal(eventKey({ ...rolledBack, target: { id: "t2", name: "web-2" } }), "deploy-failed:v4:t2");
    assert.equal(eventKey(recovered), "deploy-recovered:v4:t1");
  });

  it("say which target, whether it was rolled back, the reason and what to do", () => {
    const { subject, text } = describeEvent(rolledBack, "UTC");
    assert.equal(subject, "shop.example.com: deploy to web-1 failed, rolled back");
    assert.match(
      text,
      /^CertDeck deployed version 4 of the certificate shop\.example\.com to the target web-1, but it was not served there, so the target went back to the previous version\.\n\n/,
    );
    assert.match(text, /Reason: Deploy failed, rolled back to version 3: nginx still serves version 3 at 127\.0\.0\.1:443 for shop\.example\.com\.\n\n/);
    assert.match(text, /press "Deploy now" next to it on shop\.example\.com's page/);
    assert.equal(describeEvent({ ...rolledBack, rolledBack: false }, "UTC").subject, "shop.example.com: deploy to web-1 failed");
    assert.deepEqual(describeEvent(recovered, "UTC"), {
      subject: "shop.example.com is deployed to web-1 again",
      text: "Version 4 of the certificate shop.example.com is now deployed to web-1, after the earlier failure.\n\nNothing to do.",
    });
  });

  it("give programs the target in the webhook body", () => {
    const sentAt = new Date("2026-11-26T12:00:00Z");
    const payload = buildWebhookPayload(rolledBack, "text", sentAt);
    assert.deepEqual(
      { event: payload.event, target: payload.target, rolledBack: payload.rolledBack, versionId: payload.versionId },
      { event: "deploy-failed", target, rolledBack: true, versionId: "v4" },
    );
    assert.deepEqual(buildWebhookPayload(recovered, "text", sentAt).target, target);
  });
});
