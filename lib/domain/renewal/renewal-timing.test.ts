import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureBackoff, nextAriCheck, planRenewal, replanCertificate } from "./renewal-timing";

const day = 24 * 3600 * 1000;
const hour = 3600 * 1000;
const notBefore = new Date("2026-11-01T00:00:00Z");
const lifetime = (days: number) => new Date(notBefore.getTime() + days * day);

describe("planRenewal without ARI", () => {
  it("renews a 90-day certificate with 30 days left", () => {
    const plan = planRenewal({ notBefore, notAfter: lifetime(90), now: notBefore });
    assert.deepEqual(plan, { renewAt: lifetime(60), reason: "lifetime" });
  });
  it("renews a 45-day certificate with 15 days left", () => {
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(45), now: notBefore }), { renewAt: lifetime(30), reason: "lifetime" });
  });
  it("renews a 160-hour certificate at half its lifetime", () => {
    const notAfter = new Date(notBefore.getTime() + 160 * hour);
    assert.deepEqual(planRenewal({ notBefore, notAfter, now: notBefore }), { renewAt: new Date(notBefore.getTime() + 80 * hour), reason: "lifetime" });
  });
  it("honours a per-certificate override of N days before expiry", () => {
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), renewBeforeDays: 30, now: notBefore }), { renewAt: lifetime(60), reason: "override" });
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), renewBeforeDays: 10, now: notBefore }), { renewAt: lifetime(80), reason: "override" });
  });
  it("ignores an override of 0 or null", () => {
    assert.equal(planRenewal({ notBefore, notAfter: lifetime(90), renewBeforeDays: null, now: notBefore }).reason, "lifetime");
    assert.equal(planRenewal({ notBefore, notAfter: lifetime(90), renewBeforeDays: 0, now: notBefore }).reason, "lifetime");
  });
});

describe("planRenewal with an ARI window", () => {
  const window = { start: lifetime(58), end: lifetime(60) };
  it("picks a random moment inside a future window", () => {
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), ariWindow: window, now: notBefore, random: () => 0.25 }), {
      renewAt: lifetime(58.5),
      reason: "ari",
    });
  });
  it("renews now when the window is in the past (mass revocation)", () => {
    const now = lifetime(61);
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), ariWindow: window, now, random: () => 0.9 }), { renewAt: now, reason: "ari" });
  });
  it("picks between now and the end when the window already opened", () => {
    const now = lifetime(59);
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), ariWindow: window, now, random: () => 0.5 }).renewAt, lifetime(59.5));
  });
  it("keeps the moment chosen before when it is still inside the window", () => {
    const plan = planRenewal({ notBefore, notAfter: lifetime(90), ariWindow: window, previousRenewAt: lifetime(59.9), now: notBefore, random: () => 0 });
    assert.deepEqual(plan.renewAt, lifetime(59.9));
  });
  it("falls back to one third of the lifetime for an invalid window (end before start)", () => {
    const invalid = { start: lifetime(60), end: lifetime(58) };
    assert.deepEqual(planRenewal({ notBefore, notAfter: lifetime(90), ariWindow: invalid, now: notBefore }), { renewAt: lifetime(60), reason: "lifetime" });
  });
  it("lets an override win over ARI", () => {
    assert.equal(planRenewal({ notBefore, notAfter: lifetime(90), renewBeforeDays: 5, ariWindow: window, now: notBefore }).reason, "override");
  });
});

describe("nextAriCheck", () => {
  const now = new Date("2026-11-26T00:00:00Z");
  const after = (seconds: number | null) => (nextAriCheck(now, seconds).getTime() - now.getTime()) / 1000;
  it("clamps Retry-After to at least one minute", () => assert.equal(after(5), 60));
  it("keeps a Retry-After of six hours", () => assert.equal(after(6 * 3600), 6 * 3600));
  it("polls at least twice a day even when told to wait two days", () => assert.equal(after(2 * 86400), 12 * 3600));
  it("defaults to six hours without Retry-After", () => assert.equal(after(null), 6 * 3600));
});

describe("failureBackoff", () => {
  const now = new Date("2026-11-26T00:00:00Z");
  const hoursAfter = (failures: number, retryAfter: number | null = null) => (failureBackoff(failures, now, retryAfter).getTime() - now.getTime()) / hour;
  it("doubles from one hour up to a day", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 20].map((failures) => hoursAfter(failures)),
      [1, 2, 4, 8, 16, 24, 24, 24],
    );
  });
  it("honours a longer Retry-After", () => assert.equal(hoursAfter(1, 3 * 3600), 3));
  it("keeps the backoff when Retry-After is shorter", () => assert.equal(hoursAfter(3, 60), 4));
});

describe("replanCertificate", () => {
  const version = { notBefore, notAfter: lifetime(90) };
  const window = { start: lifetime(58), end: lifetime(60) };
  it("keeps the moment it chose inside the same ARI window", () => {
    const chosen = lifetime(59);
    const plan = replanCertificate({ renewBeforeDays: null, renewAfter: chosen, renewReason: "ari" }, version, window, notBefore);
    assert.deepEqual(plan, { renewAt: chosen, reason: "ari" });
  });
  it("lets the certificate's own days before expiry win over the window", () => {
    const plan = replanCertificate({ renewBeforeDays: 10, renewAfter: lifetime(59), renewReason: "ari" }, version, window, notBefore);
    assert.deepEqual(plan, { renewAt: lifetime(80), reason: "override" });
  });
});
