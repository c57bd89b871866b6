import { z } from "zod";
import type { OrderCallbacks, OrderProgress } from "@/lib/protocol/acme/order-certificate";
import { recordFailedValidation, releaseOrder, reserveOrder, type OrderReservation, type RateLimitedAccount } from "@/lib/domain/accounts/rate-limit-guard";
import { openResponderFor, type ResponderCertificate } from "@/lib/domain/certificates/challenge-responders";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import type { JobContext } from "@/lib/jobs/handlers/define-job";
import type { JobType } from "@/lib/data/queue/job-types";
import { decryptSecret, encryptSecret } from "@/lib/data/secret-box";

/** The part of a job's state that follows an ACME order: the order URL and the pending key (encrypted). */
export const orderJobState = z.object({
  orderUrl: z.string().optional(),
  privateKeyEnc: z.string().optional(),
});
export type OrderJobState = z.output<typeof orderJobState>;

/** The saved progress of the job's order, with the pending key decrypted. */
export function savedOrderProgress(state: OrderJobState): OrderProgress {
  return { orderUrl: state.orderUrl, privateKeyPem: state.privateKeyEnc ? decryptSecret(state.privateKeyEnc) : undefined };
}

/**
 * Callbacks that log to the job, save its progress (key encrypted) and answer its challenges
 * (the responder gets the job's responder context). With `rateLimitedAccount`, new orders and
 * failed validations go through the rate-limit guard.
 */
export function orderCallbacksFor(
  context: Pick<JobContext<JobType, unknown, OrderJobState>, "log" | "saveState" | "responder">,
  certificate: ResponderCertificate & { identifiers: string },
  rateLimitedAccount?: RateLimitedAccount,
): OrderCallbacks {
  // The order is counted (reserved) before it is sent, and the reservation taken back if it could not be placed.
  let reservation: OrderReservation | undefined;
  const guard: Partial<OrderCallbacks> = rateLimitedAccount
    ? {
        beforeNewOrder: async () => {
          reservation = await reserveOrder(
            rateLimitedAccount,
            parseStoredIdentifiers(certificate.identifiers).map((id) => id.value),
          );
        },
        onOrderPlaced: async () => {
          reservation = undefined;
        },
        onOrderNotPlaced: async () => {
          if (reservation) await releaseOrder(reservation);
          reservation = undefined;
        },
        onValidationFailed: (identifier: string) => recordFailedValidation(rateLimitedAccount.id, identifier),
      }
    : {};
  return {
    ...guard,
    log: context.log,
    saveProgress: (progress) =>
      context.saveState({
        orderUrl: progress.orderUrl,
        privateKeyEnc: progress.privateKeyPem ? encryptSecret(progress.privateKeyPem) : undefined,
      }),
    openResponder: () => openResponderFor(certificate, context.responder),
  };
}
