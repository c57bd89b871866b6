import "server-only";
import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { changePasswordSchema, signInSchema } from "@/lib/domain/auth/auth.validation";
import { pruneLoginAttempts, throttledPasswordCheck } from "@/lib/domain/auth/login-attempts";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "@/lib/domain/auth/password";
import { endSessionsOfUser, pruneExpiredSessions, type SessionUser } from "@/lib/domain/auth/session-store";
import { throttledMessage } from "@/lib/domain/auth/throttle";
import type { Actor } from "@/lib/domain/command/actor";
import { defineCommand, invalidInput } from "@/lib/domain/command/define-command";

/** Where a request without an actor (sign-in, first run) comes from. */
export interface ClientContext {
  /** The client's address (lib/web/client-address.ts), null when unknown. */
  address: string | null;
  now?: Date;
}

export const WRONG_CREDENTIALS = "Wrong user name or password.";

export type PasswordCheck = { ok: true; user: SessionUser } | { ok: false; reason: "wrong" } | { ok: false; reason: "throttled"; message: string };

/**
 * Sign-in, before there is an actor: the password checked under the throttle (per user name and
 * address), every attempt recorded in LoginAttempt and the audit log. Returns the user; the
 * server action creates the session cookie. A wrong user name or password is
 * AppError("unauthorized"), the same for both; too many attempts AppError("too_many_requests").
 */
export async function signIn(input: z.input<typeof signInSchema>, { address, now = new Date() }: ClientContext): Promise<SessionUser> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { username, password } = parsed.data;
  await pruneLoginAttempts(now);
  const result = await checkPasswordThrottled(username, password, address, now);
  if (result.ok) {
    await pruneExpiredSessions(now);
    await recordAuditEvent({ actor: result.user.username, action: "sign-in", ip: address });
    return result.user;
  }
  if (result.reason === "throttled") {
    await recordAuditEvent({ actor: "anonymous", action: "sign-in-throttled", target: username.slice(0, 64), ip: address });
    throw new AppError("too_many_requests", result.message);
  }
  await recordAuditEvent({ actor: "anonymous", action: "sign-in-failed", target: username.slice(0, 64), ip: address });
  throw new AppError("unauthorized", WRONG_CREDENTIALS);
}

async function checkPasswordThrottled(username: string, password: string, ip: string | null, now: Date): Promise<PasswordCheck> {
  const checked = await throttledPasswordCheck({ username, ip, at: now }, async () => {
    const user = await db.user.findUnique({ where: { username }, select: { id: true, username: true, passwordHash: true } });
    // Unknown users cost the same scrypt as known ones, so timing does not reveal which exist.
    const isValid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    return user && isValid ? { id: user.id, username: user.username } : null;
  });
  switch (checked.outcome) {
    case "passed":
      return { ok: true, user: checked.value };
    case "failed":
      return { ok: false, reason: "wrong" };
    case "throttled":
      return { ok: false, reason: "throttled", message: throttledMessage(checked.retryAfterMs) };
  }
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

/** The person behind a session: operations on one's own password and sessions need one (not a token, not the system). */
export function signedInUserOf(actor: Actor): { userId: string; username: string } {
  if (actor.kind !== "user") throw new AppError("forbidden", `${actor.name} has no password or sessions of its own.`);
  return { userId: actor.userId, username: actor.name };
}

/**
 * Settings → Account: the current password again (throttled like sign-in), then the new one; every
 * other session of the user ends, `keepSessionId` (the one asking) stays.
 */
export const changePassword = defineCommand(
  { name: "password.change", permission: "write", does: "change passwords", input: changePasswordSchema },
  async ({ currentPassword, newPassword, keepSessionId }, context) => {
    const { userId } = signedInUserOf(context.actor);
    const check = await checkCurrentPassword(userId, currentPassword, context.actor.address);
    if (!check.ok) {
      throw check.reason === "throttled"
        ? new AppError("too_many_requests", check.message)
        : fieldError("currentPassword", "The current password is not right");
    }
    const passwordHash = await hashPassword(newPassword);
    await db.user.update({ where: { id: userId }, data: { passwordHash } });
    const ended = await endSessionsOfUser(userId, keepSessionId);
    await context.audit({ detail: { otherSessionsEnded: ended } });
    return { otherSessionsEnded: ended };
  },
);
