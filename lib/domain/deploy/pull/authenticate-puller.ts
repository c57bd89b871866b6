import "server-only";
import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import { API_TOKEN_PREFIX } from "@/lib/domain/api-tokens/api-token";
import { PULL_MISSING_TOKEN_MESSAGE } from "@/lib/domain/deploy/pull/pull-messages";
import { bearerTokenOf, hashPullToken, isWellFormedPullToken, parsePullConfig, type PullScope } from "@/lib/domain/deploy/pull/pull-protocol";

const PULL_INVALID_TOKEN_MESSAGE =
  "This pull token is not valid: the puller was revoked, or the token is mistyped. Add a new puller on the certificate's page and put its token in the agent's configuration.";
const API_TOKEN_SENT_MESSAGE = "This is a REST API token (cdk_…). Pull agents use a puller's own token (cdp_…), made for one certificate on its page.";

/** lastSeenAt is written at most once a minute per puller, so a busy timer does not write on every call. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The puller a request's token belongs to, and the one certificate it may read. */
export interface AuthenticatedPuller {
  id: string;
  name: string;
  scope: PullScope;
  /** The reload command suggested when the puller was added (the install script's default). */
  reloadHint: string | null;
  certificate: { id: string; name: string };
}

/**
 * Checks a pull request's bearer token and records the fetch (time and client address). Only the
 * token's SHA-256 is looked up. Unknown, revoked (deleted) or malformed tokens are
 * AppError("unauthorized"); a target that is not a pull target, or not attached to exactly one
 * certificate, is refused too: a token never reads more than its one certificate.
 */
export async function authenticatePuller(request: { authorization: string | null; address: string | null }, now = new Date()): Promise<AuthenticatedPuller> {
  const token = bearerTokenOf(request.authorization);
  if (token === null) throw new AppError("unauthorized", PULL_MISSING_TOKEN_MESSAGE);
  if (!isWellFormedPullToken(token)) {
    throw new AppError("unauthorized", token.startsWith(API_TOKEN_PREFIX) ? API_TOKEN_SENT_MESSAGE : PULL_INVALID_TOKEN_MESSAGE);
  }
  const target = await db.deployTarget.findUnique({
    where: { tokenHash: hashPullToken(token) },
    select: {
      id: true,
      name: true,
      type: true,
      config: true,
      lastSeenAt: true,
      certificates: { select: { certificate: { select: { id: true, name: true } } }, take: 2 },
    },
  });
  if (!target || target.type !== "pull") throw new AppError("unauthorized", PULL_INVALID_TOKEN_MESSAGE);
  const config = parsePullConfig(target.config);
  if (!config || target.certificates.length !== 1) {
    throw new AppError(
      "forbidden",
      `The puller "${target.name}" is not set up for exactly one certificate, so it may read nothing. Revoke it and add a new one on the certificate's page.`,
    );
  }
  if (!target.lastSeenAt || now.getTime() - target.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db.deployTarget.updateMany({
      where: { id: target.id, OR: [{ lastSeenAt: null }, { lastSeenAt: { lte: new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS) } }] },
      data: { lastSeenAt: now, lastSeenAddress: request.address },
    });
  }
  return { id: target.id, name: target.name, scope: config.scope, reloadHint: config.reloadHint ?? null, certificate: target.certificates[0].certificate };
}
