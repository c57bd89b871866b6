import "server-only";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { hashPassword } from "@/lib/domain/auth/password";
import type { SessionUser } from "@/lib/domain/auth/session-store";

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0;
}

/**
 * Creates the first administrator. Returns null when a user already exists, so a second
 * "first run" submitted at the same moment cannot create another admin. The browser's first
 * run goes through lib/domain/auth/first-run.ts (setup code); this is the unattended path.
 */
export async function createFirstAdmin(username: string, password: string): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { username, passwordHash }, select: { id: true, username: true } });
  });
}

/**
 * Unattended installs: CERTDECK_ADMIN_USER + CERTDECK_ADMIN_PASSWORD create the admin at start
 * when no user exists yet. Never changes an existing user.
 */
export async function seedAdminFromEnvironment(): Promise<void> {
  const username = process.env.CERTDECK_ADMIN_USER;
  const password = process.env.CERTDECK_ADMIN_PASSWORD;
  if (!username || !password) return;
  if (await hasAnyUser()) return;
  const user = await createFirstAdmin(username.trim().toLowerCase(), password);
  if (!user) return;
  await recordAuditEvent({ actor: "system", action: "setup.admin-created", target: user.username, detail: { via: "CERTDECK_ADMIN_USER" } });
  console.info(`[certdeck] created admin user "${username}" from CERTDECK_ADMIN_USER`);
}
