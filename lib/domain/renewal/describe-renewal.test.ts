import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeNextRenewal, type RenewalScheduleFacts } from "./describe-renewal";

const now = new Date("2026-11-26T12:00:00Z");
const base: RenewalScheduleFacts = {
  renewAfter: new Date("2026-12-20T03:12:00Z"),
  renewReason: "lifetime",
  renewBeforeDays: null,
  ariWindowStart: null,
  ariWindowEnd: null,
  retryNotBefore: null,
  consecutiveFailures: 0,
};

describe("describeNextRenewal", () => {
  it("explains the lifetime rule", () => {
    assert.equal(
      describeNextRenewal(base, now, "UTC"),
      "renewal window (1/3 of lifetime left, half for short-lived certificates) opens Sun, 20 Dec 2026, 03:12 UTC",
    );
  });
  it("explains a future ARI window", () => {
    const facts = { ...base, renewReason: "ari", ariWindowStart: new Date("2026-12-01T03:12:00Z"), renewAfter: new Date("2026-12-01T09:00:00Z") };
    assert.equal(describeNextRenewal(facts, now, "UTC"), "ARI window opens Tue, 1 Dec 2026, 03:12 UTC; renewal at Tue, 1 Dec 2026, 09:00 UTC");
  });
  it("says when an override is due", () => {
    assert.equal(describeNextRenewal({ ...base, renewReason: "override", renewBeforeDays: 30, renewAfter: now }, now, "UTC"), "due now: 30 days before expiry");
  });
  it("puts a failure backoff first", () => {
    const facts = { ...base, renewAfter: now, retryNotBefore: new Date("2026-11-26T16:00:00Z"), consecutiveFailures: 3 };
    assert.equal(describeNextRenewal(facts, now, "UTC"), "retrying Thu, 26 Nov 2026, 16:00 UTC after 3 failed attempts in a row");
  });
  it("is null without a plan", () => assert.equal(describeNextRenewal({ ...base, renewAfter: null }, now, "UTC"), null));
});
