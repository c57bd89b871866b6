import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSession, SESSION_ABSOLUTE_MS, sessionExpiresAt } from "./session-expiry";

const now = new Date("2026-11-26T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const hour = 3600 * 1000;
const day = 24 * hour;

function session(createdAgo: number, lastSeenAgo: number) {
  const createdAt = ago(createdAgo);
  return { createdAt, lastSeenAt: ago(lastSeenAgo), expiresAt: sessionExpiresAt(createdAt) };
}

describe("checkSession", () => {
  it("keeps a session used within the minute without writing", () => assert.equal(checkSession(session(hour, 30_000), now), "valid"));
  it("refreshes lastSeenAt at most once a minute", () => assert.equal(checkSession(session(hour, 61_000), now), "valid-touch"));
  it("ends a session idle for 12 hours", () => {
    assert.equal(checkSession(session(day, 12 * hour - 1), now), "valid-touch");
    assert.equal(checkSession(session(day, 12 * hour), now), "idle-expired");
  });
  it("ends a session 30 days after sign-in even if used all along", () => {
    assert.equal(checkSession(session(30 * day - 1000, 0), now), "valid");
    assert.equal(checkSession(session(30 * day, 0), now), "absolute-expired");
  });
  it("honours expiresAt as stored", () => {
    assert.equal(checkSession({ createdAt: ago(hour), lastSeenAt: ago(0), expiresAt: ago(1) }, now), "absolute-expired");
  });
  it("sets expiresAt to the absolute limit", () => assert.equal(sessionExpiresAt(now).getTime() - now.getTime(), SESSION_ABSOLUTE_MS));
});
