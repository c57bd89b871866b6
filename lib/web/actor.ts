import "server-only";
import { headers } from "next/headers";
import { userActor, type Actor } from "@/lib/domain/command/actor";
import { clientAddressOf } from "@/lib/web/client-address";
import { requireSession, requireUser } from "@/lib/web/session";

/** The client's address inside a page or server action (lib/web/client-address.ts). */
export async function requestAddress(): Promise<string | null> {
  return clientAddressOf(await headers());
}

/**
 * The first line of every server action: the signed-in user as an actor with the request's
 * address, or a redirect to the sign-in page.
 */
export async function requireActor(): Promise<Actor> {
  const [user, address] = await Promise.all([requireUser(), requestAddress()]);
  return userActor(user, address);
}

/** requireActor() plus the session's id, for actions on the user's own sessions. */
export async function requireSessionActor(): Promise<{ actor: Actor; sessionId: string; userId: string }> {
  const [session, address] = await Promise.all([requireSession(), requestAddress()]);
  return { actor: userActor(session.user, address), sessionId: session.id, userId: session.user.id };
}
