import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDateTime, formatExpiryCountdown, formatRelative } from "./dates";

const now = new Date("2026-11-26T12:00:00Z");

describe("formatExpiryCountdown", () => {
  it("counts whole days ahead", () => assert.equal(formatExpiryCountdown(new Date("2026-12-19T13:00:00Z"), now), "expires in 23 days"));
  it("drops to hours under a day", () => assert.equal(formatExpiryCountdown(new Date("2026-11-26T17:30:00Z"), now), "expires in 5 hours"));
  it("says expired in the past", () => assert.equal(formatExpiryCountdown(new Date("2026-11-24T11:00:00Z"), now), "expired 2 days ago"));
  it("says tomorrow for one day", () => assert.equal(formatExpiryCountdown(new Date("2026-11-27T13:00:00Z"), now), "expires tomorrow"));
});

describe("formatDateTime", () => {
  it("names the time zone", () => {
    assert.equal(formatDateTime(now, "UTC"), "Thu, 26 Nov 2026, 12:00 UTC");
    assert.equal(formatDateTime(now, "Europe/Berlin"), "Thu, 26 Nov 2026, 13:00 CET");
  });
});

describe("formatRelative", () => {
  it("handles seconds", () => assert.equal(formatRelative(new Date(now.getTime() + 30_000), now), "in 30 seconds"));
});
