import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/job-types";
import { db } from "@/lib/db/client";
import { moveLineageAside } from "@/lib/certs/lineage-files";
import { certificatesDir } from "@/lib/env";

/**
 * Deletes a certificate lineage: its files move to deleted/<timestamp>/ (never destroyed), its
 * versions and encrypted keys leave the database. Refused while a job works on it, except the
 * job doing the deleting (`runningJobId`: a revoke job asked to delete afterwards).
 */
export async function deleteCertificate(
  id: string,
  options: { runningJobId?: string } = {},
): Promise<{ ok: true; name: string; movedTo: string | null } | { ok: false; error: string }> {
  const certificate = await db.certificate.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!certificate) return { ok: false, error: "That certificate does not exist." };
  const active = await db.job.count({
    where: { certificateId: id, status: { in: ACTIVE_JOB_STATUSES }, ...(options.runningJobId ? { NOT: { id: options.runningJobId } } : {}) },
  });
  if (active > 0) return { ok: false, error: "A job is queued or running for this certificate. Wait for it to finish, then delete." };
  const movedTo = await moveLineageAside(certificatesDir, certificate.name);
  await db.$transaction([
    db.certificate.update({ where: { id }, data: { currentVersionId: null } }),
    db.certificateVersion.deleteMany({ where: { certificateId: id } }),
    db.certificate.delete({ where: { id } }),
  ]);
  return { ok: true, name: certificate.name, movedTo };
}
