import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TlsProbeResult } from "@/lib/protocol/tls/probe-tls-endpoint";
import type { ServedCertificate } from "@/lib/protocol/tls/served-certificate";
import {
  classifyEndpointProbe,
  expiringFrom,
  nextCheckDelayMs,
  nextConsecutiveFailures,
  shortFingerprint,
  type ManagedCertificateFacts,
} from "./endpoint-status";

const DAY = 24 * 3600 * 1000;
const now = new Date("2026-11-26T12:00:00Z");
const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(":");

function leaf(overrides: Partial<ServedCertificate> = {}): ServedCertificate {
  return {
    pem: "",
    fingerprintSha256: fp("AA"),
    subject: "shop.example.test",
    subjectAltNames: ["shop.example.test"],
    issuer: "Test Intermediate",
    serial: "01",
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 60 * DAY),
    isSelfIssued: false,
    ...overrides,
  };
}

function probe(
  status: TlsProbeResult["status"],
  message: string,
  served: ServedCertificate | null,
): Pick<TlsProbeResult, "status" | "message" | "endpoint" | "served"> {
  return {
    status,
    message,
    endpoint: "127.0.0.1:8443",
    served: served
      ? { remoteAddress: "127.0.0.1", protocol: "TLSv1.3", chain: [served], leaf: served, nameMatches: true, chainTrusted: true, authorizationError: null }
      : null,
  };
}

const managed = (deployStatus = "deployed"): ManagedCertificateFacts => ({
  name: "shop.example.test",
  current: { id: "v4", version: 4, fingerprintSha256: fp("DD"), createdAt: new Date("2026-11-20T08:30:00Z"), deployStatus },
  versions: [
    { id: "v3", version: 3, fingerprintSha256: fp("CC") },
    { id: "v4", version: 4, fingerprintSha256: fp("DD") },
  ],
});

describe("classifyEndpointProbe", () => {
  it("passes a failed connection on as it is: no answer, nothing served", () => {
    const result = classifyEndpointProbe({
      probe: probe("refused", "Nothing listens on 127.0.0.1:8443 (connection refused).", null),
      managed: managed(),
      now,
      timeZone: "UTC",
    });
    assert.deepEqual(result, {
      status: "refused",
      message: "Nothing listens on 127.0.0.1:8443 (connection refused).",
      answered: false,
      servedAsIssued: null,
      servedVersion: null,
      staleDescription: null,
      isStaleExpected: false,
    });
  });

  it("is ok for a valid certificate far from its end, and for the managed certificate's current version", () => {
    const plain = classifyEndpointProbe({ probe: probe("ok", "fine", leaf()), managed: null, now, timeZone: "UTC" });
    assert.equal(plain.status, "ok");
    assert.equal(plain.message, "fine");
    assert.equal(plain.servedAsIssued, null);
    const current = classifyEndpointProbe({ probe: probe("ok", "fine", leaf({ fingerprintSha256: fp("dd") })), managed: managed(), now, timeZone: "UTC" });
    assert.equal(current.status, "ok");
    assert.equal(current.servedAsIssued, true, "fingerprints compare without regard to case");
    assert.equal(current.servedVersion, 4);
  });

  it("names the served version of a stale endpoint and the current one with its date", () => {
    const result = classifyEndpointProbe({ probe: probe("ok", "fine", leaf({ fingerprintSha256: fp("CC") })), managed: managed(), now, timeZone: "UTC" });
    assert.equal(result.status, "stale");
    assert.equal(result.servedAsIssued, false);
    assert.equal(result.servedVersion, 3);
    assert.equal(
      result.message,
      "It serves version 3 of shop.example.test (SHA-256 CC:CC:CC:CC:CC:CC…), not version 4, issued on Fri, 20 Nov 2026, 08:30 UTC. Reload the server, or check that it reads CertDeck's live/ files.",
    );
    assert.equal(result.staleDescription, result.message);
    assert.equal(result.isStaleExpected, false);
  });

  it("calls a certificate that is no version of the managed one a certificate CertDeck did not issue", () => {
    const result = classifyEndpointProbe({
      probe: probe("ok", "fine", leaf({ fingerprintSha256: fp("EE"), issuer: "Other CA" })),
      managed: managed(),
      now,
      timeZone: "UTC",
    });
    assert.equal(result.status, "stale");
    assert.equal(result.servedVersion, null);
    assert.match(
      result.message,
      /^It serves a certificate CertDeck did not issue \(SHA-256 EE:EE:EE:EE:EE:EE…, issued by Other CA\), not version 4, issued on .*Point the server at shop\.example\.test's live\/ files\.$/,
    );
  });

  it("expects a stale endpoint while the current version waits for its deploy window", () => {
    const result = classifyEndpointProbe({
      probe: probe("ok", "fine", leaf({ fingerprintSha256: fp("CC") })),
      managed: managed("waiting-window"),
      now,
      timeZone: "UTC",
    });
    assert.equal(result.status, "stale");
    assert.equal(result.isStaleExpected, true);
    assert.match(result.message, /Version 4 waits for its deploy window\.$/);
  });

  it("keeps the probe's own problem first and adds the staleness as a second sentence", () => {
    const result = classifyEndpointProbe({
      probe: probe(
        "expired",
        "The certificate for shop.example.test expired on Sun, 1 Nov 2026.",
        leaf({ fingerprintSha256: fp("CC"), notAfter: new Date(now.getTime() - DAY) }),
      ),
      managed: managed(),
      now,
      timeZone: "UTC",
    });
    assert.equal(result.status, "expired");
    assert.match(result.message, /^The certificate for shop\.example\.test expired on Sun, 1 Nov 2026\. It serves version 3 of shop\.example\.test/);
    assert.equal(result.servedAsIssued, false);
  });

  it("says expiring within 14 days, with the countdown and the date", () => {
    const result = classifyEndpointProbe({
      probe: probe("ok", "fine", leaf({ notAfter: new Date(now.getTime() + 5 * DAY) })),
      managed: null,
      now,
      timeZone: "UTC",
    });
    assert.equal(result.status, "expiring");
    assert.equal(
      result.message,
      "127.0.0.1:8443 serves a valid, trusted certificate for shop.example.test, but it expires in 5 days (Tue, 1 Dec 2026, 12:00 UTC).",
    );
  });
});

describe("expiringFrom", () => {
  it("is 14 days before the end for 90- and 45-day certificates", () => {
    const notAfter = new Date("2027-01-01T00:00:00Z");
    assert.equal(expiringFrom(new Date(notAfter.getTime() - 90 * DAY), notAfter).getTime(), notAfter.getTime() - 14 * DAY);
    assert.equal(expiringFrom(new Date(notAfter.getTime() - 45 * DAY), notAfter).getTime(), notAfter.getTime() - 14 * DAY);
  });
  it("is later for short-lived certificates: a third (half, under 10 days) of their lifetime before the end", () => {
    const notAfter = new Date("2027-01-01T00:00:00Z");
    assert.equal(expiringFrom(new Date(notAfter.getTime() - 30 * DAY), notAfter).getTime(), notAfter.getTime() - 10 * DAY);
    assert.equal(expiringFrom(new Date(notAfter.getTime() - 6 * DAY), notAfter).getTime(), notAfter.getTime() - 3 * DAY);
  });
});

describe("the schedule", () => {
  const HOUR = 3600 * 1000;
  it("looks every 6 hours while all is well and every hour while the certificate has a problem", () => {
    assert.equal(nextCheckDelayMs("ok", 0), 6 * HOUR);
    for (const status of ["expiring", "stale", "expired", "wrong-name", "untrusted", "incomplete-chain"] as const)
      assert.equal(nextCheckDelayMs(status, 0), HOUR, status);
  });
  it("backs off from 5 minutes, doubling, up to 6 hours, for an endpoint that does not answer", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 20].map((failures) => nextCheckDelayMs("refused", failures) / 60_000),
      [5, 10, 20, 40, 80, 160, 320, 360, 360],
    );
    assert.equal(nextCheckDelayMs("timeout", 1), 5 * 60_000);
  });
  it("counts failures in a row only while nothing answers", () => {
    assert.equal(nextConsecutiveFailures(0, false), 1);
    assert.equal(nextConsecutiveFailures(4, false), 5);
    assert.equal(nextConsecutiveFailures(4, true), 0);
  });
  it("shortens fingerprints to six bytes", () => {
    assert.equal(shortFingerprint(fp("ab")), "AB:AB:AB:AB:AB:AB…");
  });
});
