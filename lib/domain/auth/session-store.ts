import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/data/client";
import { checkSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS, sessionExpiresAt } from "@/lib/domain/auth/session-expiry";

/** The signed-in user as pages and commands see it. */
export interface SessionUser {
  id: string;
  username: string;
}

/**
 * Session rows without the cookie (lib/web/session.ts holds the cookie side), so the lifetime
 * rules can be tested against a database outside a request.
 */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new session; returns the cookie token (only its SHA-256 is stored). */
export async function createSessionRecord(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = sessionExpiresAt(now);
  await db.session.create({ data: { id: hashSessionToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt } });
  return { token, expiresAt };
}

/**
 * The session of this token if it is neither idle nor past its absolute expiry; an expired one
 * is deleted. Use refreshes lastSeenAt, at most once a minute (a conditional update, so parallel
 * requests write once).
 */
export async function findActiveSession(token: string, now = new Date()): Promise<{ id: string; user: SessionUser } | null> {
  const session = await db.session.findUnique({
    where: { id: hashSessionToken(token) },
    include: { user: { select: { id: true, username: true } } },
  });
  if (!session) return null;
  const state = checkSession(session, now);
  if (state === "idle-expired" || state === "absolute-expired") {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (state === "valid-touch") {
    await db.session.updateMany({
      where: { id: session.id, lastSeenAt: { lte: new Date(now.getTime() - SESSION_TOUCH_INTERVAL_MS) } },
      data: { lastSeenAt: now },
    });
  }
  return { id: session.id, user: session.user };
}

export async function deleteSessionRecord(token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: hashSessionToken(token) } });
}

/** Ends every session of a user except `keepSessionId` (the current one, after a password change). */
export async function endSessionsOfUser(userId: string, keepSessionId?: string): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  });
  return count;
}

/** Deletes sessions that can no longer be used (run on each sign-in). */
export async function pruneExpiredSessions(now = new Date()): Promise<void> {
  await db.session.deleteMany({
    where: {
      OR: [
        { expiresAt: { lte: now } },
        { createdAt: { lte: new Date(now.getTime() - SESSION_ABSOLUTE_MS) } },
        { lastSeenAt: { lte: new Date(now.getTime() - SESSION_IDLE_MS) } },
      ],
    },
  });
}
