/**
 * Who asks for an operation, and from where. Every command takes one; the permission check and
 * the audit entry read it, so both have one place to live.
 */
export type Actor =
  | { kind: "user"; userId: string; name: string; address: string | null }
  | { kind: "api-token"; tokenId: string; name: string; scope: "read" | "write"; address: string | null }
  | { kind: "system"; name: "system"; address: null };

/** The scheduler and the jobs act as "system". */
export const SYSTEM_ACTOR: Actor = { kind: "system", name: "system", address: null };

export function userActor(user: { id: string; username: string }, address: string | null): Actor {
  return { kind: "user", userId: user.id, name: user.username, address };
}

/** API tokens appear in the audit log as "api:<token name>". */
export function apiTokenActor(token: { id: string; name: string; scope: "read" | "write" }, address: string | null): Actor {
  return { kind: "api-token", tokenId: token.id, name: `api:${token.name}`, scope: token.scope, address };
}
