import { createPrivateKey, type KeyObject } from "node:crypto";
import nodeHttp from "node:http";
import nodeHttps from "node:https";
import acme from "acme-client";
import { parseRetryAfter } from "@/lib/protocol/acme/ari";
import { describeConnectionError } from "@/lib/protocol/acme/directory";
import { DEFAULT_ACME_NETWORK, httpAgentFor, httpsAgentFor } from "@/lib/protocol/acme/https-trust";
import type { AcmeProblem } from "@/lib/protocol/acme/problems";
import { checkOutboundUrl, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";
import { watchRequestTimeouts, type RequestTimeouts } from "@/lib/protocol/net/request-timeouts";

// acme-client's own retries of refused connections and 5xx wait 5 s, 10 s, 15 s ... (75 s in
// all). Jobs probe the directory first and have their own retry policy, so keep these short.
const acmeSettings = (acme.axios.defaults as unknown as { acmeSettings: Record<string, number> }).acmeSettings;
acmeSettings.retryMaxAttempts = 3;
acmeSettings.retryDefaultDelay = 1;

export interface AcmeClientOptions {
  directoryUrl: string;
  accountKeyPem: string;
  accountUrl?: string | null;
  caBundlePem?: string | null;
  externalAccountBinding?: { kid: string; hmacKey: string };
  /** Where CertDeck may connect (the lab opt-in); every request's URL and address is checked. Default DEFAULT_ACME_NETWORK. */
  network?: OutboundPolicy;
  /** Connect and answer timeouts per request; default ACME_REQUEST_TIMEOUTS. */
  timeouts?: RequestTimeouts;
}

/**
 * Per request: 10 s to connect, 30 s of silence at most (finalize can take a few seconds at a
 * busy CA), 60 s in all. A timeout is not retried inside the request (acme-client would retry
 * three more times): it becomes "The CA at <host> did not answer within N s", retryable, and the
 * job's own retry policy decides when to try again.
 */
export const ACME_REQUEST_TIMEOUTS: Readonly<Required<RequestTimeouts>> = Object.freeze({
  connectTimeoutMs: 10_000,
  answerTimeoutMs: 30_000,
  totalTimeoutMs: 60_000,
});
/** Nonces from responses are used within this time, else a fresh one is asked for. */
const NONCE_MAX_AGE_MS = 60_000;
const MAX_KEPT_NONCES = 8;

/**
 * An acme-client Client tuned for this product: status polls start at 10 ms instead of 5 s and
 * double up to 10 s (a validation that takes 20 ms no longer costs 5 s, nor the 50 ms of a
 * first poll at 50 ms; a CA that takes seconds gets two or three more polls, and a slow one is
 * still given about a minute), badNonce is retried up to 20 times, and
 * every request goes through an HTTPS agent that trusts this directory's CA bundle.
 */
export function createAcmeClient(options: AcmeClientOptions): acme.Client {
  const client = new acme.Client({
    directoryUrl: options.directoryUrl,
    accountKey: options.accountKeyPem,
    accountUrl: options.accountUrl ?? undefined,
    externalAccountBinding: options.externalAccountBinding,
    backoffAttempts: 16,
    backoffMin: 10,
    backoffMax: 10_000,
  });
  const http = (client as unknown as { http: AcmeHttpClient }).http;
  http.maxBadNonceRetries = 20;
  // Every request is signed with the account key: parsed once here, not from PEM for each
  // signature (0.5 ms each, 15 times per order).
  http.accountKey = createPrivateKey(options.accountKeyPem);
  const network = options.network ?? DEFAULT_ACME_NETWORK;
  const httpsAgent = httpsAgentFor(options.caBundlePem, network);
  const httpAgent = httpAgentFor(network);
  const timeouts = { ...ACME_REQUEST_TIMEOUTS, ...options.timeouts };
  // acme-client asks newNonce (an extra request, on a fresh connection) before every signed
  // request. RFC 8555 section 7.2 lets a client use the Replay-Nonce of any response instead:
  // keep the latest unused ones, each handed out once.
  const nonces: Array<{ value: string; receivedAt: number }> = [];
  const fetchNonce = http.getNonce.bind(http);
  http.getNonce = async () => {
    for (let nonce = nonces.pop(); nonce; nonce = nonces.pop()) {
      if (Date.now() - nonce.receivedAt < NONCE_MAX_AGE_MS) return nonce.value;
    }
    return fetchNonce();
  };
  const request = http.request.bind(http);
  http.request = async (url, method, requestOptions = {}) => {
    // Every URL the directory names is checked like the directory itself (a CA, or whoever
    // controls its directory, could point newNonce at 169.254.169.254).
    const target = checkOutboundUrl(url, network);
    // acme-client turns every failure without a response into "Cannot read properties of
    // undefined"; the transport keeps the real one (refused, reset, timeout, policy refusal).
    let networkError: unknown;
    const transport = {
      request(transportOptions: nodeHttps.RequestOptions, callback: (response: nodeHttp.IncomingMessage) => void) {
        const outgoing = transportOptions.protocol === "https:" ? nodeHttps.request(transportOptions, callback) : nodeHttp.request(transportOptions, callback);
        let timedOut: unknown;
        outgoing.on("error", (error) => (networkError = timedOut ?? error));
        watchRequestTimeouts(outgoing, target.host, timeouts, (timeout) => {
          timedOut = timeout;
          // ECONNABORTED: acme-client does not retry it (a CA that stopped answering is
          // reported now, not after three more timeouts).
          return Object.assign(new Error(timeout.message), { code: "ECONNABORTED" });
        });
        return outgoing;
      },
    };
    let response: AcmeHttpResponse;
    try {
      response = await request(url, method, { ...requestOptions, httpsAgent, httpAgent, transport, maxRedirects: 0 });
    } catch (error) {
      if (networkError !== undefined) throw describeConnectionError(networkError, target.host);
      throw error;
    }
    // Not the nonces acme-client uses itself: the one newNonce returns, and the one of a badNonce
    // answer (its retry takes it).
    const nonce = response.headers?.["replay-nonce"];
    if (nonce && method !== "head" && response.data?.type !== "urn:ietf:params:acme:error:badNonce") {
      nonces.push({ value: nonce, receivedAt: Date.now() });
      if (nonces.length > MAX_KEPT_NONCES) nonces.shift();
    }
    // acme-client throws only the problem's detail text; keep the whole document (type,
    // subproblems) and Retry-After so failures can be explained and retried properly.
    if (response.status >= 400 && typeof response.data === "object" && response.data?.type) {
      lastProblems.set(client, { problem: response.data as AcmeProblem, retryAfterSeconds: parseRetryAfter(response.headers?.["retry-after"], new Date()) });
    }
    return response;
  };
  return client;
}

const lastProblems = new WeakMap<acme.Client, { problem: AcmeProblem; retryAfterSeconds: number | null }>();

/** The last problem document the CA answered this client with, if any. */
export function lastProblemOf(client: acme.Client) {
  return lastProblems.get(client) ?? null;
}

interface AcmeHttpResponse {
  status: number;
  data?: { type?: string } & Record<string, unknown>;
  headers?: Record<string, string | undefined>;
}

interface AcmeHttpClient {
  maxBadNonceRetries: number;
  accountKey: Buffer | KeyObject;
  getNonce(): Promise<string>;
  request(url: string, method: string, options?: Record<string, unknown>): Promise<AcmeHttpResponse>;
}

export async function generateAccountKeyPem(): Promise<string> {
  return (await acme.crypto.createPrivateEcdsaKey("P-256")).toString();
}
