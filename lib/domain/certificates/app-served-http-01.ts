import { db } from "@/lib/data/client";
import type { Http01Responder } from "@/lib/protocol/acme/http-01";

/**
 * HTTP-01 answered by CertDeck itself at /.well-known/acme-challenge/<token>, for an nginx in
 * front that proxies that path to the dashboard. Tokens live in the database, so whichever
 * process serves the route finds them.
 */
export function createAppServedResponder(jobId: string): Http01Responder {
  const published: string[] = [];
  return {
    description: "served by CertDeck at /.well-known/acme-challenge/",
    async publish(token, keyAuthorization) {
      await db.challengeResponse.upsert({
        where: { token },
        create: { token, keyAuthorization, jobId },
        update: { keyAuthorization, jobId },
      });
      publishedHere.set(token, keyAuthorization);
      published.push(token);
    },
    async close() {
      for (const token of published) publishedHere.delete(token);
      await db.challengeResponse.deleteMany({ where: { jobId } });
    },
  };
}

/**
 * Answers published by jobs of this process, so the CA's requests (three per challenge) and the
 * pre-flight probes are answered without a database read. The database stays the source for
 * tokens published by another process. On globalThis: Next.js may load this module twice.
 */
const globalForTokens = globalThis as unknown as { certdeckPublishedTokens?: Map<string, string> };
const publishedHere = (globalForTokens.certdeckPublishedTokens ??= new Map());

/**
 * Answers `token` from this process's memory too (the pre-flight check's probe, whose row is in
 * the database already), until the returned function withdraws it.
 */
export function answerFromMemory(token: string, keyAuthorization: string): () => void {
  publishedHere.set(token, keyAuthorization);
  return () => void publishedHere.delete(token);
}

export async function findKeyAuthorization(token: string): Promise<string | null> {
  const local = publishedHere.get(token);
  if (local !== undefined) return local;
  const row = await db.challengeResponse.findUnique({ where: { token }, select: { keyAuthorization: true } });
  return row?.keyAuthorization ?? null;
}
