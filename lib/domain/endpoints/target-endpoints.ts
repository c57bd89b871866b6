import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { parseWatchedAddress } from "@/lib/domain/endpoints/endpoint-input";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import type { EndpointAddress } from "@/lib/protocol/tls/endpoint-address";

/**
 * Endpoints watched automatically: where a managed certificate's deploy targets verify what
 * they serve. For each target with a verify address and each name of the certificate (sent as
 * SNI), one Endpoint with targetId and certificateId set, so the watch keeps checking between
 * deploys that the current version is what is served there.
 *
 * Decoupled from the deploy targets' code on purpose: the deploy side says which targets a
 * certificate deploys to and where each verifies (lib/domain/deploy/targets/target-endpoint-sync.ts),
 * after a deploy, after a certificate's targets change, and after a target's verify address does.
 */

/** At most this many names per target become endpoints (a 100-name certificate need not mean 100 probes per target). */
export const MAX_NAMES_PER_TARGET = 20;

/** The address to watch, or null when CertDeck may not probe it (a metadata address …) or it is not one. */
function watchedAddressOf(verifyAddress: string): EndpointAddress | null {
  try {
    return parseWatchedAddress(verifyAddress);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** The names a client sends as SNI: DNS names only (an address is never sent), no wildcards (no client asks for "*.example.com"). */
function sniNames(identifiers: Array<{ type: string; value: string }>): string[] {
  return identifiers
    .filter((identifier) => identifier.type === "dns" && !identifier.value.startsWith("*."))
    .map((identifier) => identifier.value.toLowerCase());
}

export interface TargetEndpointSync {
  created: number;
  updated: number;
  removed: number;
}

/** The certificate's names (as stored) and where the targets it deploys to verify what they serve. */
export interface CertificateTargets {
  identifiers: string;
  targets: VerifyingTarget[];
}

/** A deploy target that verifies "host:port" after each deploy. */
export interface VerifyingTarget {
  id: string;
  verifyAddress: string;
}

/**
 * Makes the certificate's automatic endpoints match its targets' verify addresses and its
 * names: creates the missing ones, points existing ones at the right target and makes them due
 * now (so a deploy is followed by a check), removes those no target verifies any more. An
 * endpoint the operator added by hand for the same address and name is left as it is, as is one
 * that belongs to another certificate's target.
 */
export async function syncTargetEndpoints(certificateId: string, { identifiers, targets }: CertificateTargets, now = new Date()): Promise<TargetEndpointSync> {
  const owned = await db.endpoint.findMany({
    where: { certificateId, targetId: { not: null } },
    select: { id: true, host: true, port: true, serverName: true, targetId: true },
  });
  const names = sniNames(parseStoredIdentifiers(identifiers));

  const desired = new Map<string, { host: string; port: number; serverName: string; targetId: string }>();
  for (const target of targets) {
    const address = watchedAddressOf(target.verifyAddress);
    if (!address) continue;
    for (const serverName of names.slice(0, MAX_NAMES_PER_TARGET)) {
      const key = `${address.host}|${address.port}|${serverName}`;
      if (!desired.has(key)) desired.set(key, { ...address, serverName, targetId: target.id });
    }
  }

  const result: TargetEndpointSync = { created: 0, updated: 0, removed: 0 };
  const keep = new Set<string>();
  for (const wanted of desired.values()) {
    const existing = await db.endpoint.findFirst({
      where: { host: wanted.host, port: wanted.port, serverName: wanted.serverName },
      select: { id: true, certificateId: true, targetId: true },
    });
    if (!existing) {
      try {
        const created = await db.endpoint.create({ data: { ...wanted, certificateId, nextCheckAt: now }, select: { id: true } });
        keep.add(created.id);
        result.created++;
      } catch (error) {
        // Created by a concurrent sync: it will point at the same thing.
        if (!isUniqueViolation(error)) throw error;
      }
      continue;
    }
    // Added by hand, or another certificate's: not ours to change.
    if (existing.targetId === null || (existing.certificateId !== null && existing.certificateId !== certificateId)) continue;
    keep.add(existing.id);
    await db.endpoint.update({ where: { id: existing.id }, data: { targetId: wanted.targetId, certificateId, nextCheckAt: now } });
    result.updated++;
  }
  const stale = owned.filter((endpoint) => !keep.has(endpoint.id)).map((endpoint) => endpoint.id);
  if (stale.length > 0) result.removed = (await db.endpoint.deleteMany({ where: { id: { in: stale }, targetId: { not: null } } })).count;
  return result;
}

/**
 * Automatic endpoints whose certificate was deleted (the relation sets certificateId to null):
 * nothing is left for them to compare with, so they go. Called by the scheduler's sweep.
 */
export async function pruneOrphanTargetEndpoints(): Promise<number> {
  const { count } = await db.endpoint.deleteMany({ where: { targetId: { not: null }, certificateId: null } });
  return count;
}

/**
 * Makes every endpoint that should serve this certificate due now, so the scheduler's next
 * sweep (within a minute) sees whether a new version arrived. For the deploy code to call after
 * a version was deployed.
 */
export async function checkCertificateEndpointsSoon(certificateId: string, now = new Date()): Promise<number> {
  const { count } = await db.endpoint.updateMany({ where: { certificateId, nextCheckAt: { gt: now } }, data: { nextCheckAt: now } });
  return count;
}
