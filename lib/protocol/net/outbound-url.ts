import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import { AppError } from "@/lib/core/app-error";
import { watchRequestTimeouts, type RequestTimeouts } from "@/lib/protocol/net/request-timeouts";
import { classifyAddress, isAllowedAddress, labOptInFor, type AddressClass, type LabOptIn } from "@/lib/protocol/net/special-addresses";

/**
 * The one policy for every connection CertDeck opens on its own initiative: ACME directories and
 * every URL a CA's directory names, webhooks, and later deploy targets and endpoint probes.
 *
 * A URL is checked twice:
 * 1. As written (checkOutboundUrl), before anything is stored or sent: scheme, credentials,
 *    control characters, and the host when it is an address in any spelling (the WHATWG URL
 *    parser turns 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 into 127.0.0.1, and
 *    [::ffff:127.0.0.1] into [::ffff:7f00:1]) or a well-known internal name (localhost,
 *    metadata.google.internal …).
 * 2. At connect time (outboundLookup, outboundAgent, outboundFetch, resolveOutboundHost): the
 *    name is resolved and EVERY address it resolves to is checked; the socket then connects only
 *    to an address that passed. A name that answered with a public address when the form was
 *    saved and with 127.0.0.1 now (DNS rebinding) is refused at the second check.
 *
 * Refused always: link-local, cloud metadata, multicast, unspecified, broadcast and reserved
 * addresses (lib/protocol/net/special-addresses.ts). Refused unless the caller passes the lab
 * opt-in: loopback (allowLoopback) and private ranges (allowPrivate).
 *
 * Schemes: https: only. http: only where the caller allows it (allowHttp):
 * - ACME (directory and every URL in it): https only (RFC 8555 section 6.1). With the lab
 *   opt-in, http is allowed too: test doubles and step-ca on a LAN (LAB_NETWORK).
 * - Webhooks: https only. A webhook URL is a bearer secret (Slack, Mattermost and Teams put the
 *   token in the path); over http it travels in clear past every hop. http only with the lab
 *   opt-in, for a chat server on this machine or the LAN.
 * - Deploy targets and endpoint probes: https (or their own protocol through resolveOutboundHost).
 * Credentials in the URL (https://user:pass@host/) are refused unless allowCredentials; fetch
 * refuses them anyway, and they end up in logs.
 *
 * What is NOT covered: a proxy from the environment (HTTPS_PROXY) resolves names itself, so only
 * the proxy's own address is checked. CertDeck's own requests do not use one.
 */
export interface OutboundPolicy extends LabOptIn {
  /** Allow http: URLs (default: https only). */
  allowHttp?: boolean;
  /** Allow user:password@ in the URL (default: refused). */
  allowCredentials?: boolean;
  /** The input field a refused URL came from, for the form's field errors ("directoryUrl", "url"). */
  field?: string;
  /** A sentence appended when the lab opt-in would lift the refusal (say where to turn it on). */
  labHint?: string;
}

/** Public internet only, https only: the default. */
export const PUBLIC_NETWORK: Readonly<OutboundPolicy> = Object.freeze({});

/** The lab opt-in: loopback and private addresses, and http, are allowed too. */
export const LAB_NETWORK: Readonly<OutboundPolicy> = Object.freeze({ allowLoopback: true, allowPrivate: true, allowHttp: true });

export const DEFAULT_LAB_HINT = `Only a lab setup (a test CA such as Pebble, or a server on this network) lives there: choose "on my private network or this machine" for the account or channel to allow it.`;

/** The policy for a caller: the lab opt-in from settings, plus per-caller extras (field, hint). */
export function outboundPolicy(lab: boolean, extra: Omit<OutboundPolicy, "allowLoopback" | "allowPrivate"> = {}): OutboundPolicy {
  return lab ? { ...LAB_NETWORK, ...extra, allowHttp: extra.allowHttp ?? true } : { ...extra };
}

/** Longest URL accepted; a directory or webhook URL is far shorter. */
const MAX_URL_LENGTH = 2048;
// C0 controls (CR, LF, TAB, NUL …), DEL and C1 controls. The WHATWG parser silently drops CR, LF
// and TAB ("https://ex\r\nample.com" parses as example.com), so they are refused before parsing.
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
// Spaces, zero-width and bidirectional formatting characters: never part of a URL one can read.
const INVISIBLE_RE = /[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
// The same characters percent-encoded (%0d%0a, %00 …): no URL CertDeck calls needs them.
const ENCODED_CONTROL_RE = /%(?:[01][0-9a-f]|7f)/i;

/** Host names that are internal by definition; checked before any DNS lookup. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
]);
const LOOPBACK_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

function refusal(message: string, policy: OutboundPolicy, kind: "url" | "address"): AppError {
  return new AppError("invalid_input", message, {
    fieldErrors: policy.field ? { [policy.field]: [message] } : undefined,
    reason: kind === "url" ? "outbound-url" : "outbound-address",
  });
}

/** The refusal for one address, or undefined when the policy allows it. `via` is the name that resolved to it. */
export function outboundAddressRefusal(address: string, policy: OutboundPolicy = PUBLIC_NETWORK, via?: string): AppError | undefined {
  const found = classifyAddress(address);
  if (!found) return refusal(`CertDeck does not connect to ${via ?? address}: ${address} is not an IP address.`, policy, "address");
  if (isAllowedAddress(found, policy)) return undefined;
  return refusal(addressMessage(found, policy, via), policy, "address");
}

function addressMessage(found: AddressClass, policy: OutboundPolicy, via?: string): string {
  const target =
    via && via !== found.address ? `${via}: it resolves to ${found.address}, ${found.description}` : `${found.address}: it is ${found.description}`;
  const hint = labOptInFor(found) ? ` ${policy.labHint ?? DEFAULT_LAB_HINT}` : "";
  return `CertDeck does not connect to ${target}.${hint}`;
}

/** Throws the refusal for one address (connect-time check). */
export function checkOutboundAddress(address: string, policy: OutboundPolicy = PUBLIC_NETWORK, via?: string): void {
  const refused = outboundAddressRefusal(address, policy, via);
  if (refused) throw refused;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a URL as written and returns it parsed; throws AppError("invalid_input") with a plain
 * sentence (and a field error when policy.field is set) when CertDeck must not fetch it. Names
 * are not resolved here: the connect-time check does that (outboundAgent, outboundFetch).
 */
export function checkOutboundUrl(input: string | URL, policy: OutboundPolicy = PUBLIC_NETWORK): URL {
  const text = typeof input === "string" ? input : input.href;
  if (typeof text !== "string" || text.trim().length === 0) throw refusal("Enter a URL.", policy, "url");
  if (CONTROL_RE.test(text)) {
    throw refusal("The URL contains a line break, a tab or another control character. Type it again, without them.", policy, "url");
  }
  if (ENCODED_CONTROL_RE.test(text)) {
    throw refusal("The URL contains an encoded control character (%0d, %0a, %00 …). Type it again, without them.", policy, "url");
  }
  if (INVISIBLE_RE.test(text)) throw refusal("The URL contains spaces or invisible characters. Type it again, without them.", policy, "url");
  if (text.length > MAX_URL_LENGTH) throw refusal(`The URL is ${text.length} characters long; at most ${MAX_URL_LENGTH} are accepted.`, policy, "url");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refusal(`${JSON.stringify(text.slice(0, 100))} is not a URL (it should look like https://ca.example/directory).`, policy, "url");
  }
  if (url.protocol === "http:") {
    if (!policy.allowHttp) {
      throw refusal(`CertDeck connects only to https:// URLs here; ${url.host} was given with http://, which sends everything in clear.`, policy, "url");
    }
  } else if (url.protocol !== "https:") {
    throw refusal(`CertDeck connects only to https:// URLs; this one starts with ${url.protocol}//.`, policy, "url");
  }
  if ((url.username || url.password) && !policy.allowCredentials) {
    throw refusal("The URL contains a user name or password (user:password@host): CertDeck does not send credentials in URLs.", policy, "url");
  }
  if (url.port === "0") throw refusal("Port 0 in the URL is not a port a server can listen on.", policy, "url");
  const host = bareHost(url);
  if (net.isIP(host)) {
    checkOutboundAddressForUrl(host, policy);
    return url;
  }
  const name = host.replace(/\.$/, "");
  if (METADATA_NAMES.has(name)) {
    throw refusal(`CertDeck does not connect to ${name}: it is a cloud metadata service.`, policy, "url");
  }
  if ((LOOPBACK_NAMES.has(name) || name.endsWith(".localhost")) && !policy.allowLoopback) {
    throw refusal(`CertDeck does not connect to ${name}: it is this machine itself (loopback). ${policy.labHint ?? DEFAULT_LAB_HINT}`, policy, "url");
  }
  return url;
}

function checkOutboundAddressForUrl(host: string, policy: OutboundPolicy): void {
  const refused = outboundAddressRefusal(host, policy);
  if (refused) throw refusal(refused.userMessage, policy, "url");
}

/** dns.lookup's shape; tests pass a stub to play DNS rebinding. */
export type Resolve = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolve: Resolve = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for net, tls, http(s) agents: resolves with the system resolver (or `resolve`),
 * checks EVERY address, and hands the socket only addresses that passed, so the address
 * connected to is the one checked. A name with one refused address is refused as a whole (it is
 * either misconfigured or an attempt to reach an internal service).
 */
export function outboundLookup(policy: OutboundPolicy = PUBLIC_NETWORK, resolve: Resolve = systemResolve): net.LookupFunction {
  return (hostname, options, callback) => {
    const wantsAll = typeof options === "object" && options !== null && options.all === true;
    const family = typeof options === "number" ? options : (options?.family as number | undefined);
    const literal = net.isIP(hostname);
    const answer = (addresses: dns.LookupAddress[]) => {
      for (const entry of addresses) {
        const refused = outboundAddressRefusal(entry.address, policy, literal ? undefined : hostname);
        if (refused) {
          callback(refused as AppError & NodeJS.ErrnoException, wantsAll ? [] : "", undefined);
          return;
        }
      }
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }), wantsAll ? [] : "", undefined);
        return;
      }
      if (wantsAll) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    };
    if (literal) {
      answer([{ address: hostname, family: literal }]);
      return;
    }
    resolve(hostname, { all: true, family: family === 4 || family === 6 ? family : 0, verbatim: true }, (error, addresses) => {
      if (error) callback(error, wantsAll ? [] : "", undefined);
      else answer(addresses);
    });
  };
}

/**
 * Resolves a host (name or address) and checks every address: for clients that take an address
 * rather than a lookup (SSH, SMTP). Connect to one of the returned addresses, with the name as
 * TLS servername where TLS is used.
 */
export function resolveOutboundHost(host: string, policy: OutboundPolicy = PUBLIC_NETWORK, resolve: Resolve = systemResolve): Promise<dns.LookupAddress[]> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return new Promise((resolvePromise, reject) => {
    outboundLookup(policy, resolve)(bare, { all: true }, (error, addresses) => {
      if (error) reject(error);
      else resolvePromise(addresses as dns.LookupAddress[]);
    });
  });
}

type ConnectCallback = (error: Error | null, stream: Duplex) => void;

/**
 * The connect-time check for agents: an address literal never reaches `lookup` (net connects to
 * it directly), so it is checked here; names go through the guarded lookup.
 */
function guardedCreateConnection<O extends { host?: string | null; hostname?: string | null }>(
  policy: OutboundPolicy,
  create: (options: O, callback?: ConnectCallback) => Duplex | null | undefined,
  options: O,
  callback?: ConnectCallback,
): Duplex | null | undefined {
  const host = (options.host ?? options.hostname ?? "").replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(host)) {
    const refused = outboundAddressRefusal(host, policy);
    if (refused) {
      process.nextTick(() => callback?.(refused, undefined as unknown as Duplex));
      return undefined;
    }
  }
  return create(options, callback);
}

export interface OutboundAgentOptions extends https.AgentOptions {
  /** DNS for the connect-time check (tests); default: the system resolver. */
  resolve?: Resolve;
}

/** An https.Agent that connects only where the policy allows (every new connection is checked). */
export class OutboundHttpsAgent extends https.Agent {
  readonly policy: OutboundPolicy;
  constructor(policy: OutboundPolicy = PUBLIC_NETWORK, { resolve, ...options }: OutboundAgentOptions = {}) {
    super({ ...options, lookup: outboundLookup(policy, resolve) });
    this.policy = policy;
  }
  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
    return guardedCreateConnection(this.policy, (o, c) => super.createConnection(o, c), options, callback);
  }
}

/**
 * An http.Agent for plain http: connects only where the policy allows, and not at all when the
 * policy is https-only (so an http:// URL slipped in by a CA's directory goes nowhere).
 */
export class OutboundHttpAgent extends http.Agent {
  readonly policy: OutboundPolicy;
  constructor(policy: OutboundPolicy = PUBLIC_NETWORK, { resolve, ...options }: Omit<OutboundAgentOptions, keyof import("node:tls").ConnectionOptions> = {}) {
    super({ ...options, lookup: outboundLookup(policy, resolve) });
    this.policy = policy;
  }
  override createConnection(options: http.ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
    if (!this.policy.allowHttp) {
      const refused = refusal(`CertDeck connects only to https:// URLs here; ${options.host ?? "the server"} was asked for over http://.`, this.policy, "url");
      process.nextTick(() => callback?.(refused, undefined as unknown as Duplex));
      return undefined;
    }
    return guardedCreateConnection(this.policy, (o, c) => super.createConnection(o, c), options, callback);
  }
}

/** Both agents for a policy, for clients that take one of each (axios: httpAgent, httpsAgent). */
export function outboundAgents(
  policy: OutboundPolicy = PUBLIC_NETWORK,
  options: OutboundAgentOptions = {},
): { http: OutboundHttpAgent; https: OutboundHttpsAgent } {
  const { resolve, keepAlive, maxSockets } = options;
  return { http: new OutboundHttpAgent(policy, { resolve, keepAlive, maxSockets }), https: new OutboundHttpsAgent(policy, options) };
}

export interface OutboundFetchInit extends RequestTimeouts {
  policy?: OutboundPolicy;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborts the request; it rejects with signal.reason (AbortSignal.timeout gives a TimeoutError). */
  signal?: AbortSignal;
  /** A guarded agent to reuse (its policy and TLS trust); default: a fresh one for `policy`. */
  agent?: OutboundHttpsAgent | OutboundHttpAgent;
  /** TLS trust for https (a private CA's bundle); ignored when `agent` is given. */
  ca?: string | string[];
  /** Response bodies longer than this are cut off with an error; default 1 MB. */
  maxResponseBytes?: number;
  resolve?: Resolve;
}

/**
 * fetch() through the policy: the URL is checked as written, the connection at connect time.
 * Redirects are never followed (the 3xx answer is returned as it is: a redirect is the classic
 * way around a URL check). Returns a standard Response; network errors keep their Node codes
 * (ECONNREFUSED …), timeouts are OutboundTimeoutError (code ETIMEDOUT), refusals AppError.
 */
export async function outboundFetch(input: string | URL, init: OutboundFetchInit = {}): Promise<Response> {
  const policy = init.agent?.policy ?? init.policy ?? PUBLIC_NETWORK;
  const url = checkOutboundUrl(input, policy);
  const secure = url.protocol === "https:";
  const agent =
    init.agent ?? (secure ? new OutboundHttpsAgent(policy, { ca: init.ca, resolve: init.resolve }) : new OutboundHttpAgent(policy, { resolve: init.resolve }));
  const ownAgent = init.agent === undefined;
  const maxBytes = init.maxResponseBytes ?? 1_000_000;
  init.signal?.throwIfAborted();
  try {
    return await new Promise<Response>((resolve, reject) => {
      const options: https.RequestOptions = { method: init.method ?? "GET", headers: init.headers, agent };
      const request = secure ? https.request(url, options) : http.request(url, options);
      const onAbort = () => request.destroy(init.signal?.reason instanceof Error ? init.signal.reason : new Error("aborted"));
      init.signal?.addEventListener("abort", onAbort, { once: true });
      request.on("close", () => init.signal?.removeEventListener("abort", onAbort));
      watchRequestTimeouts(request, url.host, init);
      request.on("error", reject);
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on("data", (chunk: Buffer) => {
          length += chunk.length;
          if (length > maxBytes)
            request.destroy(Object.assign(new Error(`the answer from ${url.host} is larger than ${maxBytes} bytes`), { code: "ERR_RESPONSE_TOO_LARGE" }));
          else chunks.push(chunk);
        });
        response.on("error", reject);
        response.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (Array.isArray(value)) for (const item of value) headers.append(name, item);
            else if (value !== undefined) headers.set(name, value);
          }
          const status = response.statusCode ?? 0;
          const bodyless = status === 204 || status === 205 || status === 304 || options.method === "HEAD";
          resolve(new Response(bodyless ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers }));
        });
      });
      request.end(init.body);
    });
  } finally {
    if (ownAgent) agent.destroy();
  }
}
