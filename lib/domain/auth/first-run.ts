import "server-only";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { fieldErrorsOfZod } from "@/lib/core/field-errors";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { db } from "@/lib/data/client";
import { getSetting, setSetting } from "@/lib/data/settings";
import { firstAdminSchema, setupCodeSchema } from "@/lib/domain/auth/auth.validation";
import { hashPassword } from "@/lib/domain/auth/password";
import type { SessionUser } from "@/lib/domain/auth/session-store";
import type { ClientContext } from "@/lib/domain/auth/sign-in";
import { hasAnyUser } from "@/lib/domain/auth/users";
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

/**
 * First run, before there is an actor: creates the administrator if no user exists yet and the
 * setup code is right, then erases the code. A wrong code changes nothing (and costs no password
 * hashing). Returns the user; the server action creates the session cookie.
 */
export async function createFirstAdminWithSetupCode(
  input: z.input<typeof firstAdminSchema> & z.input<typeof setupCodeSchema>,
  client: ClientContext & { dataDir: string },
): Promise<SessionUser> {
  if (await hasAnyUser()) throw adminExists();
  const admin = firstAdminSchema.safeParse(input);
  const code = setupCodeSchema.safeParse({ setupCode: input.setupCode });
  if (!admin.success || !code.success) {
    const fieldErrors = { ...(code.success ? {} : fieldErrorsOfZod(code.error)), ...(admin.success ? {} : fieldErrorsOfZod(admin.error)) };
    throw new AppError("invalid_input", `Fix these fields: ${Object.keys(fieldErrors).join(", ")}.`, { fieldErrors });
  }
  if (!(await isSetupCodeValid(code.data.setupCode))) {
    throw new AppError("unauthorized", `The setup code is not right: it is in the server's log and in ${setupCodePath(client.dataDir)}`);
  }
  const passwordHash = await hashPassword(admin.data.password);
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { username: admin.data.username, passwordHash }, select: { id: true, username: true } });
  });
  if (!user) throw adminExists();
  await eraseSetupCode(client.dataDir);
  await recordAuditEvent({ actor: user.username, action: "setup.admin-created", detail: { via: "setup code" }, ip: client.address });
  return user;
}

function adminExists(): AppError {
  return new AppError("conflict", "An administrator already exists. Sign in instead.");
}
