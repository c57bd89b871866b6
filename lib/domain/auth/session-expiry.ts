/**
 * Session lifetime rules, pure: a session ends 12 hours after its last use (idle) and 30 days
 * after sign-in whatever happens (absolute). lastSeenAt is written at most once a minute per
 * session, which is all the idle check needs.
 */
export const SESSION_IDLE_MS = 12 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export type SessionCheck = "idle-expired" | "absolute-expired" | "valid" | "valid-touch";

export function checkSession(session: SessionTimes, now: Date): SessionCheck {
  const at = now.getTime();
  if (at >= session.expiresAt.getTime() || at - session.createdAt.getTime() >= SESSION_ABSOLUTE_MS) return "absolute-expired";
  if (at - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return "idle-expired";
  return at - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS ? "valid-touch" : "valid";
}

/** expiresAt of a new session: the absolute limit (the idle limit is checked from lastSeenAt). */
export function sessionExpiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + SESSION_ABSOLUTE_MS);
}
