import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointTitle, type EndpointRef } from "./endpoint-events";
import { endpointEventsFor, type EndpointProbeFacts } from "./endpoint-notifications";
import { buildWebhookPayload, describeEvent, eventCertificateId, eventKey } from "./events";

const now = new Date("2026-11-26T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const endpoint: EndpointRef = {
  id: "e1",
  address: "10.0.0.5:443",
  serverName: "shop.example.test",
  label: null,
  certificateId: "c1",
  certificateName: "shop.example.test",
};

function facts(overrides: Partial<EndpointProbeFacts> = {}): EndpointProbeFacts {
  return {
    endpoint,
    previous: { consecutiveFailures: 0, checkedAt: new Date(now.getTime() - 6 * 3600_000) },
    consecutiveFailures: 0,
    answered: true,
    message: "fine",
    served: {
      fingerprintSha256: "AA:BB",
      names: ["shop.example.test"],
      issuer: "Test CA",
      notBefore: new Date(now.getTime() - 80 * DAY),
      notAfter: new Date(now.getTime() + 10 * DAY),
    },
    isExpiring: false,
    servedAsIssued: true,
    isStaleExpected: false,
    currentVersion: { id: "v4", version: 4 },
    staleDescription: null,
    downSince: null,
    downAfterFailures: 2,
    now,
    ...overrides,
  };
}

describe("endpoint notifications", () => {
  it("titles endpoints by address, SNI name and label", () => {
    assert.equal(endpointTitle({ address: "shop.example.test:443", serverName: "shop.example.test", label: null }), "shop.example.test:443");
    assert.equal(endpointTitle({ address: "10.0.0.5:443", serverName: "shop.example.test", label: null }), "shop.example.test at 10.0.0.5:443");
    assert.equal(endpointTitle({ address: "[::1]:8443", serverName: null, label: "Mail" }), "Mail ([::1]:8443)");
  });

  it("says nothing for a healthy endpoint serving the current version", () => {
    assert.deepEqual(endpointEventsFor(facts()), []);
  });

  it("warns about expiry by threshold and served certificate, but not for the current version (its certificate warns)", () => {
    const [expiring] = endpointEventsFor(
      facts({ isExpiring: true, servedAsIssued: null, endpoint: { ...endpoint, certificateId: null, certificateName: null } }),
    );
    assert.equal(expiring.type, "endpoint-expiring");
    assert.equal(eventKey(expiring), "endpoint-expiring:14:e1:AA:BB");
    assert.equal(eventCertificateId(expiring), null);
    const { subject, text } = describeEvent(expiring, "UTC");
    assert.equal(subject, "shop.example.test at 10.0.0.5:443 serves a certificate that expires within 14 days");
    assert.match(text, /for shop\.example\.test, issued by Test CA\) expires on Sun, 6 Dec 2026, 12:00 UTC/);
    assert.deepEqual(endpointEventsFor(facts({ isExpiring: true, servedAsIssued: true })), []);
  });

  it("says stale once per current version, unless that version still waits for its window", () => {
    const stale = facts({ servedAsIssued: false, staleDescription: "It serves version 3 of shop.example.test (SHA-256 CC…), not version 4." });
    const [event] = endpointEventsFor(stale);
    assert.equal(event.type, "endpoint-stale");
    assert.equal(eventKey(event), "endpoint-stale:e1:v4");
    assert.equal(describeEvent(event, "UTC").subject, "shop.example.test at 10.0.0.5:443 does not serve the current shop.example.test");
    assert.match(describeEvent(event, "UTC").text, /should serve version 4 of shop\.example\.test, the current one\. It serves version 3/);
    assert.deepEqual(endpointEventsFor({ ...stale, isStaleExpected: true }), []);
  });

  it("says down on the second failure in a row, named by the first, and up when it answers again", () => {
    const firstFailure = new Date(now.getTime() - 5 * 60_000);
    assert.deepEqual(
      endpointEventsFor(facts({ answered: false, served: null, servedAsIssued: null, consecutiveFailures: 1 })),
      [],
      "one failure is not an outage",
    );
    const [down] = endpointEventsFor(
      facts({
        answered: false,
        served: null,
        servedAsIssued: null,
        consecutiveFailures: 2,
        previous: { consecutiveFailures: 1, checkedAt: firstFailure },
        message: "Nothing listens on 10.0.0.5:443 (connection refused).",
      }),
    );
    assert.equal(down.type, "endpoint-down");
    assert.equal(eventKey(down), `endpoint-down:e1:${firstFailure.toISOString()}`);
    assert.match(describeEvent(down, "UTC").text, /Reason: Nothing listens on 10\.0\.0\.5:443 \(connection refused\)\./);
    assert.deepEqual(
      endpointEventsFor(
        facts({ answered: false, served: null, servedAsIssued: null, consecutiveFailures: 3, previous: { consecutiveFailures: 2, checkedAt: now } }),
      ),
      [],
      "once per outage",
    );

    const [up] = endpointEventsFor(facts({ previous: { consecutiveFailures: 3, checkedAt: now }, downSince: firstFailure }));
    assert.equal(up.type, "endpoint-up");
    assert.equal(describeEvent(up, "UTC").subject, "shop.example.test at 10.0.0.5:443 answers again");
    assert.match(describeEvent(up, "UTC").text, /after failing since Thu, 26 Nov 2026, 11:55 UTC/);
  });

  it("posts the endpoint and its certificate in the webhook body", () => {
    const [down] = endpointEventsFor(
      facts({
        answered: false,
        served: null,
        servedAsIssued: null,
        consecutiveFailures: 2,
        previous: { consecutiveFailures: 1, checkedAt: now },
        message: "refused",
      }),
    );
    const payload = buildWebhookPayload(down, "text", now);
    assert.deepEqual(payload, {
      text: "text",
      event: "endpoint-down",
      endpoint: { id: "e1", address: "10.0.0.5:443", serverName: "shop.example.test", label: null },
      certificate: { id: "c1", name: "shop.example.test" },
      since: now.toISOString(),
      reason: "refused",
      sentAt: now.toISOString(),
    });
  });
});
