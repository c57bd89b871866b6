import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../core/app-error";
import { MAX_ATTEMPTS, nextRetryAt } from "./retry-policy";

const now = new Date("2026-11-26T12:00:00Z");
const seconds = (at: Date | null) => (at ? (at.getTime() - now.getTime()) / 1000 : null);
const transient = new AppError("acme_unreachable", "down", { isRetryable: true, reason: "ca-unreachable" });

describe("nextRetryAt", () => {
  it("backs off exponentially without jitter at the middle of the range", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => seconds(nextRetryAt(transient, attempt, now, () => 0.5))),
      [15, 30, 60, 120],
    );
  });
  it("adds jitter of up to a quarter either way", () => {
    assert.equal(seconds(nextRetryAt(transient, 1, now, () => 0)), 11.25);
    assert.equal(seconds(nextRetryAt(transient, 1, now, () => 1)), 18.75);
  });
  it("stops after the last attempt", () => assert.equal(nextRetryAt(transient, MAX_ATTEMPTS, now), null));
  it("never retries a permanent failure", () => {
    assert.equal(nextRetryAt(new AppError("challenge_failed", "wrong answer", { reason: "wrong-response" }), 1, now), null);
    assert.equal(nextRetryAt(null, 1, now), null);
  });
  it("honours the CA's Retry-After", () => {
    const limited = new AppError("acme_problem", "slow down", { isRetryable: true, reason: "rate-limited", retryAfterSeconds: 3600 });
    assert.equal(seconds(nextRetryAt(limited, 2, now)), 3600);
  });
  it("defers a rate-limit guard refusal whatever the attempt count", () => {
    const guard = new AppError("rate_limit_guard", "not sent", { isRetryable: true, reason: "rate-limit-guard", retryAfterSeconds: 1800 });
    assert.equal(seconds(nextRetryAt(guard, MAX_ATTEMPTS + 3, now)), 1800);
  });
});
