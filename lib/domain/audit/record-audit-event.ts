import { db } from "@/lib/data/client";
import type { AuditAction } from "@/lib/domain/audit/audit-actions";

export interface AuditEventInput {
  /** A user name, "system" (scheduler, jobs) or "anonymous" (failed sign-ins). */
  actor: string;
  action: AuditAction;
  target?: string | null;
  /** Plain facts only: never a secret, key or password. */
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one entry to the audit log. Never throws: auditing must not break the action. */
export async function recordAuditEvent(event: AuditEventInput): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
        ip: event.ip ?? null,
      },
    });
  } catch (error) {
    console.error("[certdeck] could not write the audit log", error);
  }
}
