import type { OrderCallbacks, OrderProgress } from "@/lib/acme/order-certificate";
import { openResponderFor } from "@/lib/acme/responders";
import type { JobContext } from "@/lib/jobs/job-context";
import { decryptSecret, encryptSecret } from "@/lib/security/secret-box";

/** The part of a job's state that follows an ACME order: the order URL and the pending key (encrypted). */
export interface OrderJobState {
  orderUrl?: string;
  privateKeyEnc?: string;
}

/** The saved progress of the job's order, with the pending key decrypted. */
export function savedOrderProgress(state: OrderJobState): OrderProgress {
  return { orderUrl: state.orderUrl, privateKeyPem: state.privateKeyEnc ? decryptSecret(state.privateKeyEnc) : undefined };
}

/** Callbacks that log to the job, save its progress (key encrypted) and answer its challenges. */
export function orderCallbacksFor(
  context: JobContext<OrderJobState>,
  certificate: { challengeMethod: string; webrootPath: string | null },
): OrderCallbacks {
  return {
    log: context.log,
    saveProgress: (progress) =>
      context.saveState({
        orderUrl: progress.orderUrl,
        privateKeyEnc: progress.privateKeyPem ? encryptSecret(progress.privateKeyPem) : undefined,
      }),
    openResponder: () => openResponderFor(certificate, context.job.id),
  };
}
