import "server-only";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { checkLoginThrottle, pruneLoginAttempts, recordLoginAttempt } from "@/lib/domain/auth/login-attempts";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "@/lib/domain/auth/password";
import { endSessionsOfUser, pruneExpiredSessions } from "@/lib/domain/auth/session-store";
import type { SessionUser } from "@/lib/domain/auth/session-store";
import { throttledMessage } from "@/lib/domain/auth/throttle";

export type PasswordCheck = { ok: true; user: SessionUser } | { ok: false; reason: "wrong" } | { ok: false; reason: "throttled"; message: string };

/**
 * Checks a sign-in without touching cookies (the server action creates the session): throttled
 * per user name and address, every attempt recorded in LoginAttempt and the audit log.
 * `username` is the normalized name the user typed.
 */
export async function attemptSignIn(username: string, password: string, ip: string | null, now = new Date()): Promise<PasswordCheck> {
  await pruneLoginAttempts(now);
  const result = await checkPasswordThrottled(username, password, ip, now);
  if (result.ok) {
    await pruneExpiredSessions(now);
    await recordAuditEvent({ actor: result.user.username, action: "sign-in", ip });
  } else if (result.reason === "throttled") {
    await recordAuditEvent({ actor: "anonymous", action: "sign-in-throttled", target: username.slice(0, 64), ip });
  } else {
    await recordAuditEvent({ actor: "anonymous", action: "sign-in-failed", target: username.slice(0, 64), ip });
  }
  return result;
}

async function checkPasswordThrottled(username: string, password: string, ip: string | null, now: Date): Promise<PasswordCheck> {
  const decision = await checkLoginThrottle(username, ip, now);
  if (!decision.allowed) {
    await recordLoginAttempt({ username, ip, succeeded: false, at: now });
    return { ok: false, reason: "throttled", message: throttledMessage(decision.retryAfterMs) };
  }
  const user = await db.user.findUnique({ where: { username }, select: { id: true, username: true, passwordHash: true } });
  // Unknown users cost the same scrypt as known ones, so timing does not reveal which exist.
  const isValid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const succeeded = Boolean(user && isValid);
  await recordLoginAttempt({ username, ip, succeeded, at: now });
  return user && succeeded ? { ok: true, user: { id: user.id, username: user.username } } : { ok: false, reason: "wrong" };
}

/** The signed-in user's password again, throttled together with sign-ins for their user name. */
export async function checkCurrentPassword(userId: string, password: string, ip: string | null, now = new Date()): Promise<PasswordCheck> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { username: true } });
  if (!user) return { ok: false, reason: "wrong" };
  const result = await checkPasswordThrottled(user.username, password, ip, now);
  if (!result.ok) {
    await recordAuditEvent({ actor: user.username, action: "password.confirm-failed", detail: { throttled: result.reason === "throttled" }, ip });
  }
  return result;
}

/**
 * For actions that ask for the password again (e.g. downloading a private key). Throttled like
 * sign-in per user; false for a wrong password and while throttled.
 */
export async function verifyCurrentPassword(userId: string, password: string, ip: string | null = null): Promise<boolean> {
  return (await checkCurrentPassword(userId, password, ip)).ok;
}

/** Sets a new password and ends every other session of the user. */
export async function changePassword(user: SessionUser, newPassword: string, keepSessionId: string, ip: string | null): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await db.user.update({ where: { id: user.id }, data: { passwordHash } });
  const ended = await endSessionsOfUser(user.id, keepSessionId);
  await recordAuditEvent({ actor: user.username, action: "password.change", detail: { otherSessionsEnded: ended }, ip });
}
