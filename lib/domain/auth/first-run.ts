import "server-only";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { getSetting, setSetting } from "@/lib/data/settings";
import { hashPassword } from "@/lib/domain/auth/password";
import type { SessionUser } from "@/lib/domain/auth/session-store";
import { generateSetupCode, hashSetupCode, setupCodeMatches } from "@/lib/domain/auth/setup-code";

/**
 * First-run takeover protection: while no user exists, creating the administrator needs a
 * one-time code that only someone with access to the server (its log or its data directory)
 * can read. Issued at every start while no user exists; erased once the administrator exists.
 */
export function setupCodePath(dataDir: string): string {
  return path.join(dataDir, "setup-code.txt");
}

/** A new code (replacing any earlier one), or null when a user exists (then any code is erased). */
export async function issueSetupCode(dataDir: string): Promise<string | null> {
  if ((await db.user.count()) > 0) {
    await eraseSetupCode(dataDir);
    return null;
  }
  const code = generateSetupCode();
  await setSetting("setupCodeHash", hashSetupCode(code));
  const file = setupCodePath(dataDir);
  await rm(file, { force: true });
  // "wx" + mode: created fresh, readable by the server's user only.
  await writeFile(file, `${code}\n`, { mode: 0o600, flag: "wx" });
  return code;
}

export async function eraseSetupCode(dataDir: string): Promise<void> {
  await setSetting("setupCodeHash", "");
  await rm(setupCodePath(dataDir), { force: true });
}

export async function isSetupCodeValid(code: string): Promise<boolean> {
  return setupCodeMatches(code, await getSetting("setupCodeHash"));
}

export type FirstAdminResult = { ok: true; user: SessionUser } | { ok: false; reason: "user-exists" | "wrong-code" };

/**
 * Creates the first administrator if the setup code is right and no user exists yet, then erases
 * the code. A wrong code changes nothing (and costs no password hashing).
 */
export async function createFirstAdminWithSetupCode(
  input: { username: string; password: string; setupCode: string; ip: string | null },
  dataDir: string,
): Promise<FirstAdminResult> {
  if ((await db.user.count()) > 0) return { ok: false, reason: "user-exists" };
  if (!(await isSetupCodeValid(input.setupCode))) return { ok: false, reason: "wrong-code" };
  const passwordHash = await hashPassword(input.password);
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { username: input.username, passwordHash }, select: { id: true, username: true } });
  });
  if (!user) return { ok: false, reason: "user-exists" };
  await eraseSetupCode(dataDir);
  await recordAuditEvent({ actor: user.username, action: "setup.admin-created", detail: { via: "setup code" }, ip: input.ip });
  return { ok: true, user };
}
