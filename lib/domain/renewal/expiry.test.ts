import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiryUrgency, lifetimeUsed, renewalWindowStart } from "./expiry";

const day = 24 * 3600 * 1000;
const at = (iso: string) => new Date(iso);

describe("renewalWindowStart", () => {
  it("opens with one third of a 90-day lifetime left (day 60)", () => {
    assert.equal(renewalWindowStart(at("2026-01-01T00:00:00Z"), at("2026-04-01T00:00:00Z")).toISOString(), "2026-03-02T00:00:00.000Z");
  });
  it("opens with half of a 6-day lifetime left", () => {
    const notBefore = at("2026-01-01T00:00:00Z");
    assert.equal(renewalWindowStart(notBefore, new Date(notBefore.getTime() + 6 * day)).toISOString(), "2026-01-04T00:00:00.000Z");
  });
  it("uses one third at exactly 10 days", () => {
    const notBefore = at("2026-01-01T00:00:00Z");
    const start = renewalWindowStart(notBefore, new Date(notBefore.getTime() + 10 * day));
    assert.equal(start.getTime() - notBefore.getTime(), (20 / 3) * day);
  });
});

describe("expiryUrgency", () => {
  const notAfter = at("2026-06-30T00:00:00Z");
  const renewAfter = at("2026-06-01T00:00:00Z");
  it("is ok before the window", () => assert.equal(expiryUrgency(at("2026-05-01T00:00:00Z"), notAfter, renewAfter), "ok"));
  it("is in the renewal window after renewAfter", () => assert.equal(expiryUrgency(at("2026-06-10T00:00:00Z"), notAfter, renewAfter), "renewal-window"));
  it("is critical under 7 days", () => assert.equal(expiryUrgency(at("2026-06-24T00:00:01Z"), notAfter, renewAfter), "critical"));
  it("is not critical at exactly 7 days", () => assert.equal(expiryUrgency(at("2026-06-23T00:00:00Z"), notAfter, renewAfter), "renewal-window"));
  it("is expired at notAfter", () => assert.equal(expiryUrgency(notAfter, notAfter, renewAfter), "expired"));
  it("is ok without a renewal time when far from expiry", () => assert.equal(expiryUrgency(at("2026-06-10T00:00:00Z"), notAfter, null), "ok"));
});

describe("lifetimeUsed", () => {
  it("is the used share, clamped", () => {
    const notBefore = at("2026-01-01T00:00:00Z");
    const notAfter = at("2026-01-11T00:00:00Z");
    assert.equal(lifetimeUsed(at("2026-01-06T00:00:00Z"), notBefore, notAfter), 0.5);
    assert.equal(lifetimeUsed(at("2025-12-01T00:00:00Z"), notBefore, notAfter), 0);
    assert.equal(lifetimeUsed(at("2026-02-01T00:00:00Z"), notBefore, notAfter), 1);
  });
});
