import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_FAILURES_PER_IP, MAX_FAILURES_PER_USERNAME, THROTTLE_WINDOW_MS, throttleDecision, throttledMessage, waitBeforeNextAttempt } from "./throttle";

const now = new Date("2026-11-26T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const times = (count: number, minutes: number) => Array.from({ length: count }, () => minutesAgo(minutes));

describe("waitBeforeNextAttempt", () => {
  it("allows while under the limit", () => assert.equal(waitBeforeNextAttempt(times(4, 1), 5, now), 0));
  it("waits until the oldest counted failure leaves the window", () => {
    const failures = [minutesAgo(10), minutesAgo(8), minutesAgo(6), minutesAgo(4), minutesAgo(2)];
    assert.equal(waitBeforeNextAttempt(failures, 5, now), 5 * 60_000);
  });
  it("with more failures than the limit, waits for enough of them to leave", () => {
    const failures = [minutesAgo(2), minutesAgo(14), minutesAgo(12), minutesAgo(10), minutesAgo(8), minutesAgo(6), minutesAgo(4)];
    // 7 failures, limit 5: allowed again when only 4 remain, i.e. once the one 10 minutes old leaves.
    assert.equal(waitBeforeNextAttempt(failures, 5, now), 5 * 60_000);
  });
  it("ignores failures older than the window", () => {
    assert.equal(waitBeforeNextAttempt([...times(4, 1), ...times(10, 15), ...times(10, 60)], 5, now), 0);
    assert.equal(THROTTLE_WINDOW_MS, 15 * 60_000);
  });
});

describe("throttleDecision", () => {
  it("refuses the sixth attempt for a user name", () => {
    assert.deepEqual(throttleDecision({ usernameFailures: times(4, 1), ipFailures: [], now }), { allowed: true });
    const decision = throttleDecision({ usernameFailures: times(MAX_FAILURES_PER_USERNAME, 1), ipFailures: [], now });
    assert.deepEqual(decision, { allowed: false, retryAfterMs: 14 * 60_000 });
  });
  it("refuses after 20 failures from one address, whatever the user names", () => {
    assert.equal(throttleDecision({ usernameFailures: [], ipFailures: times(MAX_FAILURES_PER_IP - 1, 3), now }).allowed, true);
    assert.deepEqual(throttleDecision({ usernameFailures: [], ipFailures: times(MAX_FAILURES_PER_IP, 3), now }), {
      allowed: false,
      retryAfterMs: 12 * 60_000,
    });
  });
  it("waits for the longer of the two limits", () => {
    const decision = throttleDecision({ usernameFailures: times(5, 10), ipFailures: times(20, 2), now });
    assert.deepEqual(decision, { allowed: false, retryAfterMs: 13 * 60_000 });
  });
  it("skips the address limit when the address is unknown", () => {
    assert.equal(throttleDecision({ usernameFailures: [], ipFailures: null, now }).allowed, true);
  });
});

describe("throttledMessage", () => {
  it("rounds up to whole minutes, at least one", () => {
    assert.equal(throttledMessage(14 * 60_000 + 1), "Too many sign-in attempts. Try again in 15 minutes.");
    assert.equal(throttledMessage(1_000), "Too many sign-in attempts. Try again in 1 minute.");
  });
});
