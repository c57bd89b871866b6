import { sendNotification } from "@/lib/domain/notifications/send-notification";

interface CertificateRef {
  id: string;
  name: string;
}

interface VersionRef {
  id: string;
  version: number;
}

/** The fields every deploy event carries: which certificate version it is about. */
function aboutVersion(certificate: CertificateRef, version: VersionRef) {
  return { certificateId: certificate.id, certificateName: certificate.name, versionId: version.id, version: version.version };
}

/** A failing deploy hook is never a silent success: it notifies (once per version). */
export async function notifyHookFailed(certificate: CertificateRef, version: VersionRef, reason: string): Promise<void> {
  await sendNotification({
    type: "deploy-failed",
    ...aboutVersion(certificate, version),
    reason,
  });
}

/** A deploy target that failed or rolled back: once per version and target, however often it is retried. */
export async function notifyTargetFailed(
  certificate: CertificateRef,
  version: VersionRef,
  target: { id: string; name: string },
  failure: { reason: string; rolledBack: boolean },
): Promise<void> {
  await sendNotification({
    type: "deploy-failed",
    ...aboutVersion(certificate, version),
    reason: failure.reason,
    target: { id: target.id, name: target.name },
    rolledBack: failure.rolledBack,
  });
}

/** The same version reached a target after it had failed there. */
export async function notifyDeployRecovered(certificate: CertificateRef, version: VersionRef, target: { id: string; name: string }): Promise<void> {
  await sendNotification({
    type: "deploy-recovered",
    ...aboutVersion(certificate, version),
    target: { id: target.id, name: target.name },
  });
}
