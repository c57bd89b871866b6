import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { createSessionRecord, deleteSessionRecord, findActiveSession, type SessionUser } from "@/lib/domain/auth/session-store";
import { secureCookies } from "@/lib/core/env";

/**
 * The cookie side of sessions. Lifetime: 12 hours idle, 30 days at most after sign-in
 * (lib/domain/auth/session-expiry.ts); rows live in lib/domain/auth/session-store.ts.
 */
export const SESSION_COOKIE = "certdeck_session";

export async function createSession(userId: string): Promise<void> {
  const { token, expiresAt } = await createSessionRecord(userId);
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    expires: expiresAt,
  });
}

/**
 * Drops the session cookie (after the signOut or signOutEverywhere command ended the session
 * rows); a row the cookie still names is deleted too.
 */
export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSessionRecord(token);
  jar.delete(SESSION_COOKIE);
}

/** The current session (its row id) and user, or null. Memoised per request. */
export const getCurrentSession = cache(async (): Promise<{ id: string; user: SessionUser } | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return findActiveSession(token);
});

/** The signed-in user, or null. Memoised per request. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

/**
 * The first line of every page and server action: the signed-in user, or a redirect to the
 * sign-in page (which itself leads to first-run setup while no user exists).
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/** requireUser() plus the session's id, for actions that end the user's other sessions. */
export async function requireSession(): Promise<{ id: string; user: SessionUser }> {
  const session = await getCurrentSession();
  if (!session) redirect("/login");
  return session;
}
