import "server-only";
import { z } from "zod";
import { db } from "@/lib/data/client";
import { endSessionsOfUser } from "@/lib/domain/auth/session-store";
import { signedInUserOf } from "@/lib/domain/auth/sign-in";
import { defineCommand } from "@/lib/domain/command/define-command";

/**
 * Ending one's own sessions changes nothing of CertDeck itself, so it needs only "read"; it needs
 * a signed-in person, though (signedInUserOf). The server action drops the cookie.
 */

/** Signs out of this session (its row id, lib/domain/auth/session-store.ts). */
export const signOut = defineCommand(
  { name: "sign-out", permission: "read", does: "sign out", input: z.object({ sessionId: z.string().min(1).max(200) }) },
  async ({ sessionId }, context) => {
    const { userId } = signedInUserOf(context.actor);
    await db.session.deleteMany({ where: { id: sessionId, userId } });
    await context.audit({});
  },
);

/** Ends every session of the user, in every browser, the asking one included. */
export const signOutEverywhere = defineCommand(
  { name: "sign-out-everywhere", permission: "read", does: "sign out", input: z.object({}) },
  async (_input, context) => {
    const { userId } = signedInUserOf(context.actor);
    const count = await endSessionsOfUser(userId);
    await context.audit({ detail: { sessionsEnded: count } });
    return { sessionsEnded: count };
  },
);
