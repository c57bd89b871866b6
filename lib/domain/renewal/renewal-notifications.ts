import { sendNotification } from "@/lib/domain/notifications/send-notification";

interface CertificateRef {
  id: string;
  name: string;
}

export async function notifyRenewalFailed(certificate: CertificateRef, jobId: string, reason: string): Promise<void> {
  await sendNotification({ type: "renewal-failed", certificateId: certificate.id, certificateName: certificate.name, reason, jobId });
}

export async function notifyRecovered(certificate: CertificateRef, version: { id: string; notAfter: Date }): Promise<void> {
  await sendNotification({
    type: "recovered",
    certificateId: certificate.id,
    certificateName: certificate.name,
    versionId: version.id,
    notAfter: version.notAfter,
  });
}

/** A job parked for the operator (a manual DNS record to create): tell them, once per job. */
export async function notifyActionNeeded(certificate: CertificateRef, jobId: string, instructions: string): Promise<void> {
  await sendNotification({ type: "action-needed", certificateId: certificate.id, certificateName: certificate.name, jobId, instructions });
}
