/**
 * Keeps the automatically watched endpoints (lib/domain/endpoints/target-endpoints.ts) in step
 * with what the deploys verify: the targets a certificate deploys to, each at the address its
 * deploy probes. Called after a deploy, after a certificate's targets change, and by the endpoint
 * sweep for the certificates of a target whose verify address or default flag changed.
 */
import { db } from "@/lib/data/client";
import { syncTargetEndpoints, type VerifyingTarget } from "@/lib/domain/endpoints/target-endpoints";
import { resolveTargetsForCertificate, type TargetRef } from "@/lib/domain/deploy/targets/queries";
import { storedVerifyAddressOf } from "@/lib/domain/deploy/targets/target-config";

/** The targets that verify after a deploy, with the address each probes. */
function verifyingTargets(targets: TargetRef[]): VerifyingTarget[] {
  return targets.flatMap((target) => {
    const verifyAddress = storedVerifyAddressOf(target);
    return verifyAddress ? [{ id: target.id, verifyAddress }] : [];
  });
}

export interface CertificateEndpointSyncInput {
  /** The certificate's names as stored, when the caller read them already. */
  identifiers?: string;
  /** Its targets as resolveTargetsForCertificate gives them, when the caller resolved them already. */
  targets?: TargetRef[];
  now?: Date;
}

/** Makes a certificate's automatic endpoints match the targets it deploys to and where they verify. */
export async function syncCertificateEndpoints(certificateId: string, input: CertificateEndpointSyncInput = {}) {
  const identifiers = input.identifiers ?? (await db.certificate.findUnique({ where: { id: certificateId }, select: { identifiers: true } }))?.identifiers;
  if (identifiers === undefined) return { created: 0, updated: 0, removed: 0 };
  const targets = input.targets ?? (await resolveTargetsForCertificate(certificateId)).targets;
  return syncTargetEndpoints(certificateId, { identifiers, targets: verifyingTargets(targets) }, input.now);
}

/**
 * For the endpoint sweep: the certificates of every target whose verify address or default flag
 * changed (DeployTarget.endpointsSyncDue), those watched through it and those deployed to it, get
 * their endpoints synced. A target changed again meanwhile stays due for the next sweep.
 */
export async function syncEndpointsOfChangedTargets(now = new Date()): Promise<number> {
  const changed = await db.deployTarget.findMany({ where: { endpointsSyncDue: true }, select: { id: true, updatedAt: true } });
  let synced = 0;
  for (const target of changed) {
    for (const certificateId of await certificatesServedBy(target.id)) {
      await syncCertificateEndpoints(certificateId, { now });
      synced++;
    }
    await db.deployTarget.updateMany({ where: { id: target.id, updatedAt: target.updatedAt }, data: { endpointsSyncDue: false } });
  }
  return synced;
}

async function certificatesServedBy(targetId: string): Promise<string[]> {
  const [watched, deployed] = await Promise.all([
    db.endpoint.findMany({ where: { targetId, certificateId: { not: null } }, select: { certificateId: true }, distinct: ["certificateId"] }),
    db.deployment.findMany({ where: { targetId, version: { currentOf: { isNot: null } } }, select: { version: { select: { certificateId: true } } } }),
  ]);
  return [...new Set([...watched.map((row) => row.certificateId!), ...deployed.map((row) => row.version.certificateId)])];
}
