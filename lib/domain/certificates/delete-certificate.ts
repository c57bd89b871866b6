import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { certificatesDir } from "@/lib/core/env";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { defineCommand } from "@/lib/domain/command/define-command";
import { moveLineageAside } from "@/lib/protocol/lineage/lineage-files";

export interface DeletedCertificate {
  id: string;
  name: string;
  /** Where the live/ and archive/ files went; null when there were none. */
  movedTo: string | null;
}

/** Delete a certificate: its files are moved aside, never destroyed. */
export const deleteCertificate = defineCommand(
  { name: "certificate.delete", permission: "write", does: "delete certificates", input: z.object({ id: idSchema }) },
  async ({ id }, context): Promise<DeletedCertificate> => {
    const deleted = await removeCertificate(id);
    await context.audit({ target: deleted.name, detail: deleted.movedTo ? { filesMovedTo: deleted.movedTo } : undefined });
    return deleted;
  },
);

/**
 * Deletes a certificate lineage: its files move to deleted/<timestamp>/ (never destroyed), its
 * versions and encrypted keys leave the database. Refused while a job works on it, except the
 * job doing the deleting (`runningJobId`: a revoke job asked to delete afterwards).
 */
export async function removeCertificate(id: string, options: { runningJobId?: string } = {}): Promise<DeletedCertificate> {
  const certificate = await db.certificate.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
  const active = await db.job.count({
    where: { certificateId: id, status: { in: ACTIVE_JOB_STATUSES }, ...(options.runningJobId ? { NOT: { id: options.runningJobId } } : {}) },
  });
  if (active > 0) throw new AppError("conflict", "A job is queued or running for this certificate. Wait for it to finish, then delete.");
  const movedTo = await moveLineageAside(certificatesDir(), certificate.name);
  await db.$transaction([
    db.certificate.update({ where: { id }, data: { currentVersionId: null } }),
    db.certificateVersion.deleteMany({ where: { certificateId: id } }),
    db.certificate.delete({ where: { id } }),
  ]);
  return { id, name: certificate.name, movedTo };
}
