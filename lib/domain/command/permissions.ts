import { AppError } from "@/lib/core/app-error";
import type { Actor } from "@/lib/domain/command/actor";

/**
 * What an operation needs: "read" looks, "write" changes certificates and settings, "secret"
 * hands out private key material. Today every signed-in user may do everything and API tokens
 * are read or read-write; roles for several users plug in here and nowhere else.
 */
export type Permission = "read" | "write" | "secret";

export function isAllowed(actor: Actor, permission: Permission): boolean {
  switch (actor.kind) {
    case "system":
    case "user":
      return true;
    case "api-token":
      // Tokens never download private keys: that takes a person who types the password again.
      return permission === "read" || (permission === "write" && actor.scope === "write");
  }
}

/** Throws AppError("forbidden") naming what the actor cannot do. */
export function assertAllowed(actor: Actor, permission: Permission, what: string): void {
  if (isAllowed(actor, permission)) return;
  const reason =
    actor.kind === "api-token" && permission === "write"
      ? `The token "${actor.name.replace(/^api:/, "")}" is read-only, so it cannot ${what}. Use a read-write token (Settings → API tokens).`
      : `${actor.name} may not ${what}.`;
  throw new AppError("forbidden", reason);
}
