/**
 * A certificate's deploy targets: which ones it uses (its own choice, or the default targets),
 * and "Deploy now" to one of them.
 */
import { z } from "zod";
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { defineCommand } from "@/lib/domain/command/define-command";
import { certificateOrNotFound, findCertificateOrThrow, queueCertificateJob, type QueuedCertificateJob } from "@/lib/domain/certificates/certificate-job";
import { resolveTargetsForCertificate } from "@/lib/domain/deploy/targets/queries";
import { syncCertificateEndpoints } from "@/lib/domain/deploy/targets/target-endpoint-sync";
import { isPassiveTargetType } from "@/lib/domain/deploy/targets/target-config";
import { refreshVersionDeployStatus } from "@/lib/domain/deploy/deploy-version";

export const certificateDeployTargetsInputSchema = z.strictObject({
  certificateId: idSchema,
  useDefaults: z
    .boolean({ error: "Give useDefaults as true (the default targets) or false (the targets in targetIds)" })
    .meta({ description: "true: none of its own, so every default target (also ones made default later). false: exactly the targets in targetIds." }),
  targetIds: z
    .array(idSchema)
    .max(100, "At most 100 targets")
    .default([])
    .meta({ description: "With useDefaults false: the deploy targets' ids (at least one). Pull agents are not chosen here: they keep their certificate." }),
});

/**
 * Chooses the targets a certificate deploys to. `useDefaults`: none of its own, so every default
 * target (and later defaults too). Takes effect at the next deploy; the current version's status
 * is summed up again over the targets now in use.
 */
export const setCertificateDeployTargets = defineCommand(
  { name: "certificate.deploy-targets", permission: "write", does: "choose deploy targets", input: certificateDeployTargetsInputSchema },
  async ({ certificateId, useDefaults, targetIds }, context): Promise<{ name: string; targetNames: string[] }> => {
    const certificate = await certificateOrNotFound(certificateId, { name: true, identifiers: true });
    const unique = [...new Set(targetIds)];
    if (!useDefaults && unique.length === 0) throw fieldError("targetIds", "Choose at least one target, or use the default targets.");
    const targets = useDefaults ? [] : await db.deployTarget.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
    if (targets.length !== (useDefaults ? 0 : unique.length)) throw fieldError("targetIds", "One of the chosen targets no longer exists: reload the page.");
    await db.$transaction([
      // Pull agents are added and revoked on their own card: only the pushed targets are chosen here.
      db.certificateDeployTarget.deleteMany({ where: { certificateId, target: { type: { not: "pull" } } } }),
      ...targets.map((target) => db.certificateDeployTarget.create({ data: { certificateId, targetId: target.id } })),
    ]);
    const current = await db.certificate.findUnique({ where: { id: certificateId }, select: { currentVersionId: true } });
    if (current?.currentVersionId) await refreshVersionDeployStatus(current.currentVersionId);
    await syncCertificateEndpoints(certificateId, { identifiers: certificate.identifiers });
    const targetNames = targets.map((target) => target.name).sort();
    await context.audit({ target: certificate.name, detail: useDefaults ? { useDefaults: true } : { targets: targetNames } });
    return { name: certificate.name, targetNames };
  },
);

/** Deploys the current version to one target now, ignoring the maintenance window. */
export const deployToTargetNow = defineCommand(
  { name: "certificate.deploy-target", permission: "write", does: "deploy certificates", input: z.object({ certificateId: idSchema, targetId: idSchema }) },
  async ({ certificateId, targetId }, context): Promise<QueuedCertificateJob> => {
    const certificate = await findCertificateOrThrow(certificateId);
    const current = await db.certificate.findUnique({ where: { id: certificateId }, select: { currentVersion: { select: { version: true } } } });
    if (!current?.currentVersion) throw new AppError("conflict", `${certificate.name} has no issued version to deploy yet.`);
    const { targets } = await resolveTargetsForCertificate(certificateId);
    const target = targets.find((candidate) => candidate.id === targetId);
    if (!target) throw new AppError("not_found", `${certificate.name} does not deploy to that target.`);
    if (isPassiveTargetType(target.type))
      throw new AppError("conflict", `"${target.name}" is a pull target: its agent fetches version ${current.currentVersion.version} itself.`);
    return queueCertificateJob(context, certificate, {
      type: "deploy",
      options: { targetIds: [target.id] },
      reason: `deploy to ${target.name} now`,
      audit: { detail: { target: target.name, version: current.currentVersion.version } },
    });
  },
);
