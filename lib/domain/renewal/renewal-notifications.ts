import type { DeployOutcome } from "@/lib/domain/deploy/deploy-version";
import { sendNotification } from "@/lib/domain/notifications/send-notification";

interface CertificateRef {
  id: string;
  name: string;
}

/** A failing deploy hook is never a silent success: it notifies. */
export async function notifyDeployOutcome(certificate: CertificateRef, version: { id: string; version: number }, outcome: DeployOutcome): Promise<void> {
  if (outcome.status !== "deploy-failed") return;
  await sendNotification({
    type: "deploy-failed",
    certificateId: certificate.id,
    certificateName: certificate.name,
    versionId: version.id,
    version: version.version,
    reason: outcome.reason,
  });
}

export async function notifyRenewalFailed(certificate: CertificateRef, jobId: string, reason: string): Promise<void> {
  await sendNotification({ type: "renewal-failed", certificateId: certificate.id, certificateName: certificate.name, reason, jobId });
}

export async function notifyRecovered(certificate: CertificateRef, version: { id: string; notAfter: Date }): Promise<void> {
  await sendNotification({ type: "recovered", certificateId: certificate.id, certificateName: certificate.name, versionId: version.id, notAfter: version.notAfter });
}

/** A job parked for the operator (a manual DNS record to create): tell them, once per job. */
export async function notifyActionNeeded(certificate: CertificateRef, jobId: string, instructions: string): Promise<void> {
  await sendNotification({ type: "action-needed", certificateId: certificate.id, certificateName: certificate.name, jobId, instructions });
}
