import acme from "acme-client";
import type { Client } from "acme-client";
import { generatePrivateKeyPem, type KeyType } from "@/lib/protocol/x509/key-types";
import {
  describeChallengeFailure,
  describeProblem,
  problemShortType,
  type AcmeProblem,
  type ChallengeFailureContext,
  type ValidationRecord,
} from "@/lib/protocol/acme/problems";
import { OperatorActionNeeded, type ChallengeResponder, type ChallengeType } from "@/lib/protocol/acme/challenge-responder";
import { buildNewOrderPayload, type NewOrderPayload } from "@/lib/protocol/acme/new-order-payload";
import { AppError } from "@/lib/core/app-error";
import type { Identifier } from "@/lib/protocol/names/names";

/**
 * What an order has achieved so far, saved after each step so that a job interrupted by a crash
 * resumes the same order instead of placing a second one, and never loses the key it sent.
 */
export interface OrderProgress {
  orderUrl?: string;
  /** The new certificate's private key, generated before finalize (the caller encrypts it). */
  privateKeyPem?: string;
}

export interface OrderCallbacks {
  log(step: string, message: string, options?: { level?: "info" | "warn" | "error"; detail?: unknown }): Promise<void>;
  saveProgress(progress: OrderProgress): Promise<void>;
  openResponder(): Promise<ChallengeResponder>;
  /** Called before a new order is sent (the rate-limit guard reserves it, or refuses it by throwing). */
  beforeNewOrder?(): Promise<void>;
  onOrderPlaced?(): Promise<void>;
  /** The new order could not be placed after beforeNewOrder (the CA refused it, or did not answer). */
  onOrderNotPlaced?(): Promise<void>;
  onValidationFailed?(identifier: string): Promise<void>;
}

export interface OrderRequest {
  identifiers: Identifier[];
  keyType: KeyType;
  /** RFC 9773 CertID of the certificate this order replaces (only when the CA offers ARI). */
  replaces?: string;
  /** ACME profile (only when the CA advertises it). */
  profile?: string;
  /** Finalize with this key instead of a fresh one ("keep the same key on renewal"). */
  reusePrivateKeyPem?: string;
  /**
   * Where the CA should connect, to explain a failed validation when the CA does not say
   * (Pebble sends no validationRecord): the addresses the pre-flight check found per name
   * (identifier value, without "*."), and the port the CA validates on.
   */
  validation?: { preflightAddresses?: Record<string, string[]>; port?: number };
}

function failureContext(request: OrderRequest, identifier: string): ChallengeFailureContext {
  return { preflightAddresses: request.validation?.preflightAddresses?.[identifier.replace(/^\*\./, "")], validationPort: request.validation?.port };
}

export interface IssuedCertificate {
  chainPem: string;
  privateKeyPem: string;
}

type Order = Awaited<ReturnType<Client["createOrder"]>>;
type Authorization = Awaited<ReturnType<Client["getAuthorizations"]>>[number];
type Challenge = Authorization["challenges"][number];

export async function orderCertificate(client: Client, request: OrderRequest, progress: OrderProgress, callbacks: OrderCallbacks): Promise<IssuedCertificate> {
  const { log } = callbacks;
  let order: Order;
  if (progress.orderUrl) {
    order = await client.getOrder({ url: progress.orderUrl } as Order);
    await log("order", `Resuming order ${progress.orderUrl} (status: ${order.status})`);
  } else {
    await callbacks.beforeNewOrder?.();
    try {
      order = await createOrder(client, request, log);
    } catch (error) {
      await callbacks.onOrderNotPlaced?.();
      throw error;
    }
    await callbacks.onOrderPlaced?.();
    progress = { ...progress, orderUrl: order.url };
    await callbacks.saveProgress(progress);
    await log("order", `Order created for ${request.identifiers.map((id) => id.value).join(", ")}${request.profile ? ` (profile "${request.profile}")` : ""}`, {
      detail: order.url,
    });
  }

  if (order.status === "invalid") throw await explainInvalidOrder(client, order, request, callbacks);
  if (order.status === "pending") {
    await answerChallenges(client, order, request, callbacks);
    order = await client.getOrder(order);
  }

  let privateKeyPem = progress.privateKeyPem;
  if (order.status === "ready") {
    if (!privateKeyPem) {
      privateKeyPem = request.reusePrivateKeyPem ?? (await generatePrivateKeyPem(request.keyType));
      progress = { ...progress, privateKeyPem };
      await callbacks.saveProgress(progress);
      await log(
        "key",
        request.reusePrivateKeyPem
          ? "Reusing the current private key (this certificate keeps its key on renewal)"
          : `Generated a fresh ${request.keyType} private key`,
      );
    }
    const [, csr] = await acme.crypto.createCsr({ altNames: request.identifiers.map(({ value }) => value) }, privateKeyPem);
    order = await client.finalizeOrder(order, csr);
    await log("finalize", `Order finalized (status: ${order.status})`);
  }
  if (order.status === "invalid") throw await explainInvalidOrder(client, order, request, callbacks);
  if (!privateKeyPem) {
    throw new AppError("acme_problem", "The order was finalized but its private key was not saved; place a new order with Renew.");
  }

  const chainPem = (await client.getCertificate(order)).toString();
  await log("download", "Certificate chain downloaded");
  return { chainPem, privateKeyPem };
}

/**
 * newOrder, with `replaces` and `profile` when given (acme-client passes extra fields through).
 * A CA that refuses the `replaces` link (alreadyReplaced, or an unknown certificate) gets the
 * order again without it: the renewal matters more than the ARI bookkeeping.
 */
async function createOrder(client: Client, request: OrderRequest, log: OrderCallbacks["log"]): Promise<Order> {
  const send = (payload: NewOrderPayload) => client.createOrder(payload as Parameters<Client["createOrder"]>[0]);
  if (!request.replaces) return send(buildNewOrderPayload(request));
  try {
    return await send(buildNewOrderPayload(request));
  } catch (error) {
    await log("order", `The CA refused to link this order to the certificate it replaces (${(error as Error).message}); ordering without "replaces"`, {
      level: "warn",
    });
    return send(buildNewOrderPayload({ ...request, replaces: undefined }));
  }
}

async function answerChallenges(client: Client, order: Order, request: OrderRequest, callbacks: OrderCallbacks): Promise<void> {
  const authorizations = await client.getAuthorizations(order);
  const pending = authorizations.filter((authorization) => authorization.status !== "valid");
  for (const authorization of authorizations.filter((a) => a.status === "valid")) {
    await callbacks.log("challenge", `${authorizationLabel(authorization)}: already authorized`);
  }
  if (pending.length === 0) return;

  const responder = await callbacks.openResponder();
  let isParked = false;
  try {
    const started: Array<{ authorization: Authorization; challenge: Challenge }> = [];
    for (const authorization of pending) {
      const challenge = authorization.challenges.find((candidate) => candidate.type === responder.type);
      if (!challenge) {
        const offered = authorization.challenges.map((candidate) => candidate.type).join(", ") || "none";
        throw new AppError(
          "acme_problem",
          `${authorizationLabel(authorization)}: the CA offers no ${responder.type} challenge for this name (it offers: ${offered}). Choose another method for this certificate.`,
        );
      }
      await responder.publish({
        identifier: authorization.identifier as { type: "dns" | "ip"; value: string },
        wildcard: Boolean(authorization.wildcard),
        token: challenge.token,
        keyAuthorization: await client.getChallengeKeyAuthorization(challenge),
      });
      if (challenge.status === "pending") started.push({ authorization, challenge });
    }
    await callbacks.log("challenge", `${responder.type.toUpperCase()} answers published (${responder.description})`);
    await responder.awaitReady?.();
    await callbacks.log("challenge", "Asking the CA to validate");
    // Tell the CA about every challenge first, then wait: validations run in parallel.
    for (const { challenge } of started) await client.completeChallenge(challenge);
    await Promise.all(
      pending.map(async (authorization) => {
        const name = authorizationLabel(authorization);
        const challenge = authorization.challenges.find((candidate) => candidate.type === responder.type)!;
        try {
          await client.waitForValidStatus(challenge);
        } catch {
          await callbacks.onValidationFailed?.(authorization.identifier.value);
          throw await explainFailedChallenge(client, authorization, name, responder.type, callbacks, failureContext(request, authorization.identifier.value));
        }
        await callbacks.log("challenge", `${name}: validated`);
      }),
    );
  } catch (error) {
    isParked = error instanceof OperatorActionNeeded;
    if (error instanceof AppError && error.code === "challenge_failed") {
      await callbacks.log("challenge", error.userMessage, { level: "error" });
    }
    throw error;
  } finally {
    await responder.close({ parked: isParked });
  }
}

/** "*.example.com" for a wildcard authorization (its identifier is "example.com"). */
function authorizationLabel(authorization: Authorization): string {
  return authorization.wildcard ? `*.${authorization.identifier.value}` : authorization.identifier.value;
}

/** acme-client throws only the detail text; re-read the authorization for the problem document. */
async function explainFailedChallenge(
  client: Client,
  authorization: Authorization,
  name: string,
  challengeType: ChallengeType,
  callbacks: OrderCallbacks,
  context: ChallengeFailureContext,
): Promise<AppError> {
  try {
    const fresh = (await client.getAuthorizations({ authorizations: [authorization.url] } as unknown as Order))[0];
    const challenge = fresh?.challenges.find((candidate) => candidate.type === challengeType) as
      (Challenge & { error?: AcmeProblem; validationRecord?: ValidationRecord[] }) | undefined;
    await callbacks.log("challenge", `${name}: the CA's answer`, { level: "error", detail: { authorization: fresh?.status, challenge } });
    return describeChallengeFailure(name, challenge?.error, challenge?.validationRecord, challengeType, context);
  } catch (error) {
    return new AppError("challenge_failed", `${name}: validation failed, and the CA's explanation could not be read.`, { cause: error, reason: "unknown" });
  }
}

/** An order the CA marked invalid: its error, or the first failed authorization's. */
async function explainInvalidOrder(client: Client, order: Order, request: OrderRequest, callbacks: OrderCallbacks): Promise<AppError> {
  const orderError = (order as Order & { error?: AcmeProblem }).error;
  await callbacks.log("order", "The CA marked the order invalid", { level: "error", detail: { order } });
  if (orderError && problemShortType(orderError) !== "unauthorized") return describeProblem(orderError);
  const authorizations = await client.getAuthorizations(order).catch(() => []);
  for (const authorization of authorizations) {
    const challenge = authorization.challenges.find((candidate) => (candidate as { error?: AcmeProblem }).error) as
      (Challenge & { error?: AcmeProblem; validationRecord?: ValidationRecord[] }) | undefined;
    if (challenge) {
      return describeChallengeFailure(
        authorization.identifier.value,
        challenge.error,
        challenge.validationRecord,
        challenge.type,
        failureContext(request, authorization.identifier.value),
      );
    }
  }
  return orderError
    ? describeProblem(orderError)
    : new AppError("acme_problem", "The CA marked this order invalid without saying why. Renew to place a new order.", { reason: "unknown" });
}
