import "server-only";
import { db } from "@/lib/db/client";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "@/lib/auth/password";
import type { SessionUser } from "@/lib/auth/session";

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0;
}

/**
 * Creates the first administrator. Returns null when a user already exists, so a second
 * "first run" submitted at the same moment cannot create another admin.
 */
export async function createFirstAdmin(username: string, password: string): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { username, passwordHash }, select: { id: true, username: true } });
  });
}

export async function verifyCredentials(username: string, password: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({
    where: { username },
    select: { id: true, username: true, passwordHash: true },
  });
  const isValid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  return user && isValid ? { id: user.id, username: user.username } : null;
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
  await createFirstAdmin(username.trim().toLowerCase(), password);
  console.info(`[certdeck] created admin user "${username}" from CERTDECK_ADMIN_USER`);
}
