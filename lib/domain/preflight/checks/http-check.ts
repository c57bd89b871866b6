/**
 * HTTP-01 reachability: a probe token is published where the certificate's method serves
 * challenges, then fetched from each address the name resolves to, the way the CA will fetch it.
 * describeProbe is pure (the wording); placeProbe and probeAddress touch the world.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { isIP } from "node:net";
import { CHALLENGE_PATH_PREFIX, openStandaloneResponder, type Http01Responder } from "@/lib/protocol/acme/http-01";
import { createWebrootResponder } from "@/lib/protocol/acme/webroot-responder";
import { db } from "@/lib/data/client";
import { answerFromMemory } from "@/lib/domain/certificates/app-served-http-01";
import { AppError } from "@/lib/core/app-error";
import { settleOnce } from "@/lib/core/settle-once";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export const HTTP_PROBE_TIMEOUT_MS = 5000;
/** ChallengeResponse.jobId of probe rows, so they are never mistaken for a job's. */
export const PROBE_JOB_ID = "preflight";
const MAX_BODY_BYTES = 64 * 1024;

export type Http01Method = "http-01-app" | "http-01-webroot" | "http-01-standalone";

export interface PlacedProbe {
  token: string;
  keyAuthorization: string;
  remove(): Promise<void>;
}

/**
 * Publishes a random token where `method` serves challenges: a ChallengeResponse row for the app
 * route, a file under the webroot, or the standalone listener (opened only for the probe; the
 * caller checks the port is free first). Throws AppError when it cannot (webroot missing, ...).
 */
export async function placeProbe(method: Http01Method, options: { webrootPath?: string | null; standalonePort: number }): Promise<PlacedProbe> {
  const token = `certdeck-probe-${randomBytes(16).toString("hex")}`;
  const keyAuthorization = `${token}.${randomBytes(24).toString("base64url")}`;
  if (method === "http-01-app") {
    await db.challengeResponse.create({ data: { token, keyAuthorization, jobId: PROBE_JOB_ID } });
    // Served from memory when the probe reaches this process, as the CA's requests are.
    const withdraw = answerFromMemory(token, keyAuthorization);
    return {
      token,
      keyAuthorization,
      remove: async () => {
        withdraw();
        // deleteMany: never throws when the row is already gone; only this probe's row, other probes may run.
        await db.challengeResponse.deleteMany({ where: { token } });
      },
    };
  }
  let responder: Http01Responder;
  if (method === "http-01-webroot") {
    if (!options.webrootPath) throw new AppError("invalid_input", "The webroot method needs the web server's document root, and none is set.");
    responder = createWebrootResponder(options.webrootPath);
  } else {
    responder = await openStandaloneResponder(options.standalonePort);
  }
  try {
    await responder.publish(token, keyAuthorization);
  } catch (error) {
    await responder.close();
    throw error;
  }
  return { token, keyAuthorization, remove: () => responder.close() };
}

export type ProbeResult =
  | { outcome: "ok"; server?: string }
  | { outcome: "refused" | "timeout" | "unreachable" | "reset" | "error"; errno: string }
  | { outcome: "redirect"; status: number; location: string; server?: string }
  | { outcome: "status"; status: number; server?: string; body: string }
  | { outcome: "wrong-body"; server?: string; body: string };

export function challengeUrl(name: string, port: number, token: string): string {
  const host = isIP(name) === 6 ? `[${name}]` : name;
  return `http://${host}${port === 80 ? "" : `:${port}`}${CHALLENGE_PATH_PREFIX}${token}`;
}

/** GET the probe from one address with the name in the Host header; redirects are reported, not followed. */
export function probeAddress(options: { name: string; address: string; port: number; token: string; expected: string }): Promise<ProbeResult> {
  const { name, address, port, token, expected } = options;
  return new Promise((resolve) => {
    const settle = settleOnce(resolve, () => {
      clearTimeout(deadline);
      request.destroy();
    });
    const request = http.request({
      host: address,
      port,
      path: `${CHALLENGE_PATH_PREFIX}${token}`,
      method: "GET",
      headers: { host: isIP(name) === 6 ? `[${name}]` : name, "user-agent": "CertDeck pre-flight check", accept: "*/*" },
      agent: false,
      timeout: HTTP_PROBE_TIMEOUT_MS,
    });
    // The socket timeout covers silence; this covers a server that trickles bytes for ever.
    const deadline = setTimeout(() => settle({ outcome: "timeout", errno: "ETIMEDOUT" }), HTTP_PROBE_TIMEOUT_MS);
    request.on("timeout", () => settle({ outcome: "timeout", errno: "ETIMEDOUT" }));
    request.on("error", (error: NodeJS.ErrnoException) => settle(classifyConnectionError(error)));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      // Only "nginx" of "nginx/1.22.1": the sentences name the program, not its version.
      const serverName = String(response.headers.server ?? "").split(/[/\s]/)[0];
      const server = serverName ? { server: serverName } : {};
      if (status >= 300 && status < 400) {
        settle({ outcome: "redirect", status, location: String(response.headers.location ?? "(no Location header)"), ...server });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      response.on("error", (error: NodeJS.ErrnoException) => settle(classifyConnectionError(error)));
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (status !== 200) settle({ outcome: "status", status, ...server, body });
        else if (body.trim() === expected) settle({ outcome: "ok", ...server });
        else settle({ outcome: "wrong-body", ...server, body });
      });
    });
    request.end();
  });
}

function classifyConnectionError(error: NodeJS.ErrnoException): ProbeResult {
  const errno = error.code ?? "EUNKNOWN";
  if (errno === "ECONNREFUSED") return { outcome: "refused", errno };
  if (errno === "ETIMEDOUT") return { outcome: "timeout", errno };
  if (errno === "EHOSTUNREACH" || errno === "ENETUNREACH" || errno === "EADDRNOTAVAIL") return { outcome: "unreachable", errno };
  if (errno === "ECONNRESET" || errno === "EPIPE" || errno === "HPE_INVALID_CONSTANT" || errno.startsWith("HPE_")) return { outcome: "reset", errno };
  return { outcome: "error", errno };
}

export interface ProbeContext {
  name: string;
  address: string;
  port: number;
  url: string;
  method: Http01Method;
  /** Whether the address is one of this host's (when not, the DNS check has already said so). */
  isHostAddress: boolean;
  webrootPath?: string | null;
  standalonePort: number;
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > 60 ? `${text.slice(0, 60)}…` : text || "an empty body";
}

/** One probe's result as a check, in the words of the certificate's method. */
export function describeProbe(result: ProbeResult, context: ProbeContext): PreflightCheck {
  const { name, address, port, url, method, webrootPath, standalonePort } = context;
  const base = { kind: "http" as const, identifier: name, detail: { url, address, port, ...result } };
  const server = "server" in result && result.server ? result.server : "The web server";
  const at = `${server} at ${address}`;
  const notThisHost = context.isHostAddress ? "" : ` ${address} is not this host, so fix the DNS record first (see above).`;

  switch (result.outcome) {
    case "ok":
      return { ...base, status: "pass", message: `${url} answers with the challenge through ${address}.` };
    case "refused":
      return {
        ...base,
        status: "fail",
        message: `Nothing accepts connections on ${address} port ${port} (connection refused), so the CA cannot fetch ${url}.`,
        fix:
          notThisHost.trim() ||
          (method === "http-01-app"
            ? `Make nginx (or the web server on port ${port}) listen for ${name}, with the location block that forwards /.well-known/acme-challenge/ to CertDeck.`
            : method === "http-01-webroot"
              ? `Start the web server that serves ${webrootPath} on port ${port} for ${name}.`
              : `The CA connects to port ${port}; make it reach this host's port ${standalonePort}, where the standalone listener opens.`),
      };
    case "timeout":
      return {
        ...base,
        status: "fail",
        message: `${address} port ${port} did not answer within ${HTTP_PROBE_TIMEOUT_MS / 1000} seconds: a firewall probably drops the connection, and the CA will time out too.`,
        fix:
          notThisHost.trim() ||
          `Allow incoming TCP port ${port} from anywhere (the CA validates from several places), e.g. "ufw allow ${port}/tcp" or the cloud provider's security group.`,
      };
    case "unreachable":
      return {
        ...base,
        status: "warn",
        message: `This host has no route to ${address} (${result.errno}), so CertDeck could not check what the CA will see there.`,
        fix: notThisHost.trim() || undefined,
      };
    case "reset":
      return {
        ...base,
        status: "fail",
        message: `${address} port ${port} closed the connection without a valid HTTP answer (${result.errno}) for ${url}.`,
        fix:
          notThisHost.trim() ||
          `Something on port ${port} is not speaking plain HTTP (a TLS-only listener, or a proxy that drops the request). The CA needs plain HTTP on port ${port}.`,
      };
    case "error":
      return { ...base, status: "warn", message: `CertDeck could not fetch ${url} from ${address} (${result.errno}).`, fix: notThisHost.trim() || undefined };
    case "redirect":
      return {
        ...base,
        status: "warn",
        message: `${at} redirects ${url} (${result.status}) to ${result.location}.`,
        fix: `The CA follows redirects to port 80 or 443, so this works only if ${result.location} serves the same challenge. To be sure, answer /.well-known/acme-challenge/ before the redirect in the port-${port} server block.${notThisHost}`,
      };
    case "status": {
      if (result.status === 404) {
        const [message, fix] =
          method === "http-01-app"
            ? [
                `${at} answered 404 for ${url}: the location block that forwards /.well-known/acme-challenge/ to CertDeck is missing.`,
                `Add the location block shown under Settings to the port-${port} server block for ${name}, then reload nginx.`,
              ]
            : method === "http-01-webroot"
              ? [
                  `${at} answered 404 for ${url}: it does not serve ${webrootPath} for ${name}.`,
                  `Set the webroot to the "root" of the port-${port} server block for ${name}, or add "location ^~ /.well-known/acme-challenge/ { root ${webrootPath}; }" to it.`,
                ]
              : [
                  `${at} answered 404 for ${url}: port ${port} there reaches another web server, not CertDeck's standalone listener.`,
                  `Use "served by CertDeck" behind that web server, or make port ${port} reach this host's port ${standalonePort}.`,
                ];
        return { ...base, status: "fail", message, fix: `${fix}${notThisHost}` };
      }
      const isGateway = result.status === 502 || result.status === 503 || result.status === 504;
      return {
        ...base,
        status: "fail",
        message:
          method === "http-01-app" && isGateway
            ? `${at} answered ${result.status} for ${url}: it forwards the request but cannot reach CertDeck.`
            : `${at} answered ${result.status} for ${url} instead of the challenge.`,
        fix:
          method === "http-01-app"
            ? `Check that the location block's proxy_pass points at CertDeck's address and port, and that nothing (authentication, IP allow lists, rewrites) applies to /.well-known/acme-challenge/.${notThisHost}`
            : `Make /.well-known/acme-challenge/ reachable without authentication, IP allow lists or rewrites.${notThisHost}`,
      };
    }
    case "wrong-body":
      return {
        ...base,
        status: "fail",
        message: `${at} answered ${url} with other content (${snippet(result.body)}) instead of the challenge.`,
        fix:
          method === "http-01-app"
            ? `Another location (often "location /" or a "try_files … /index.html") answers first: add the location block shown under Settings, with "^~", to the port-${port} server block for ${name}.${notThisHost}`
            : method === "http-01-webroot"
              ? `The web server does not serve ${webrootPath} for ${name}: set the webroot to its "root".${notThisHost}`
              : `Port ${port} there does not reach CertDeck's standalone listener.${notThisHost}`,
      };
  }
}
