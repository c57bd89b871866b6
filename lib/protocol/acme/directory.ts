import http from "node:http";
import https from "node:https";
import { AppError } from "@/lib/core/app-error";
import { DEFAULT_ACME_NETWORK, httpAgentFor, httpsAgentFor } from "@/lib/protocol/acme/https-trust";
import { checkOutboundUrl, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";
import { OutboundTimeoutError, formatTimeout, watchRequestTimeouts, type RequestTimeouts } from "@/lib/protocol/net/request-timeouts";

export interface AcmeDirectory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
  revokeCert?: string;
  keyChange?: string;
  renewalInfo?: string;
  meta?: {
    termsOfService?: string;
    website?: string;
    caaIdentities?: string[];
    externalAccountRequired?: boolean;
    profiles?: Record<string, string>;
  };
}

/** A directory is one small JSON document: a CA that takes longer is not answering. */
export const DIRECTORY_TIMEOUTS: Readonly<Required<RequestTimeouts>> = Object.freeze({
  connectTimeoutMs: 10_000,
  answerTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
});

export interface DirectoryFetchOptions {
  /** Where CertDeck may connect (the lab opt-in); default DEFAULT_ACME_NETWORK. */
  network?: OutboundPolicy;
  timeouts?: RequestTimeouts;
}

const TLS_ERROR_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

/**
 * Reads an ACME directory with a short timeout and says in plain words why it cannot be read.
 * acme-client alone retries an unreachable CA for 75 s and then reports a meaningless TypeError,
 * so every job probes the directory through this first.
 */
export async function fetchDirectory(directoryUrl: string, caBundlePem?: string | null, options: DirectoryFetchOptions = {}): Promise<AcmeDirectory> {
  const network = options.network ?? DEFAULT_ACME_NETWORK;
  const url = checkOutboundUrl(directoryUrl, network);
  const host = url.host;
  const timeouts = { ...DIRECTORY_TIMEOUTS, ...options.timeouts };
  let body: string;
  let status: number;
  try {
    ({ status, body } = await get(url, caBundlePem, network, timeouts).catch((error: NodeJS.ErrnoException) => {
      // A kept-alive connection to a CA that has since gone away fails with a reset; a fresh
      // connection tells the real cause (refused, timeout ...).
      if (error.code === "ECONNRESET") return get(url, caBundlePem, network, timeouts);
      throw error;
    }));
  } catch (error) {
    throw describeConnectionError(error, host);
  }
  if (status !== 200) {
    throw new AppError("acme_unreachable", `The ACME directory at ${directoryUrl} answered HTTP ${status}. Check the URL.`, {
      isRetryable: status >= 500,
    });
  }
  let directory: AcmeDirectory;
  try {
    directory = JSON.parse(body) as AcmeDirectory;
  } catch {
    throw new AppError("acme_unreachable", `${directoryUrl} did not return JSON: it is not an ACME directory. Check the URL.`);
  }
  if (!directory.newNonce || !directory.newAccount || !directory.newOrder) {
    throw new AppError("acme_unreachable", `${directoryUrl} is not an ACME directory (no newNonce, newAccount or newOrder). Check the URL.`);
  }
  return directory;
}

function get(url: URL, caBundlePem: string | null | undefined, network: OutboundPolicy, timeouts: RequestTimeouts): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { accept: "application/json" };
    const request =
      url.protocol === "https:"
        ? https.get(url, { headers, agent: httpsAgentFor(caBundlePem, network) })
        : http.get(url, { headers, agent: httpAgentFor(network) });
    watchRequestTimeouts(request, url.host, timeouts);
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
        if (body.length > 1_000_000) request.destroy(new Error("directory too large"));
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/**
 * A failure to reach the CA in plain words (AppError acme_unreachable, retryable when trying
 * later can help). Refusals by the outbound policy (AppError) pass through unchanged.
 */
export function describeConnectionError(error: unknown, host: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof OutboundTimeoutError) {
    const why =
      error.phase === "connect"
        ? "no connection could be made. A firewall may drop the packets, or the address is wrong."
        : error.phase === "answer"
          ? "it accepted the connection but sent nothing back. It may be stopped, overloaded or stuck; CertDeck tries again later."
          : "it was still sending its answer. It may be overloaded; CertDeck tries again later.";
    return new AppError("acme_unreachable", `The CA at ${host} did not answer within ${formatTimeout(error.timeoutMs)}: ${why}`, {
      cause: error,
      reason: "ca-unreachable",
      isRetryable: true,
    });
  }
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new AppError("acme_unreachable", `The CA's host ${host} does not resolve in DNS. Check the directory URL and this server's DNS resolver.`, {
      cause: error,
      reason: "ca-unreachable",
      isRetryable: code === "EAI_AGAIN",
    });
  }
  if (code === "ECONNREFUSED") {
    return new AppError("acme_unreachable", `The CA at ${host} refused the connection. Is the ACME server running, and is the port in the URL right?`, {
      cause: error,
      reason: "ca-unreachable",
      isRetryable: true,
    });
  }
  if (code === "ECONNRESET") {
    return new AppError(
      "acme_unreachable",
      `The CA at ${host} closed the connection abruptly. It may be restarting, or a proxy in between may drop the connection.`,
      {
        cause: error,
        reason: "ca-unreachable",
        isRetryable: true,
      },
    );
  }
  if (code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH") {
    return new AppError("acme_unreachable", `The CA at ${host} did not answer in time (${code}). A firewall or proxy may block outgoing HTTPS.`, {
      cause: error,
      reason: "ca-unreachable",
      isRetryable: true,
    });
  }
  if (TLS_ERROR_CODES.has(code)) {
    return new AppError(
      "acme_unreachable",
      `The CA at ${host} presented a TLS certificate this server does not trust (${code}). For a private CA, paste its CA bundle into the account's "Trusted CA bundle".`,
      { cause: error, reason: "ca-unreachable" },
    );
  }
  return new AppError("acme_unreachable", `Could not reach the CA at ${host} (${code || (error as Error).message}).`, {
    cause: error,
    reason: "ca-unreachable",
    isRetryable: true,
  });
}
