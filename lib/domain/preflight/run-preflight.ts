/**
 * The pre-flight check: before CertDeck asks the CA, check per identifier what the CA will check
 * (DNS, that the records point here, that the challenge URL answers, CAA) and, for the standalone
 * and TLS-ALPN-01 methods, that their port is free. IP addresses get no DNS or CAA questions.
 * Bounded: a few DNS questions (each gives up after 9 s) and one HTTP GET per address (5 s),
 * identifiers in parallel, at most PARALLEL_IDENTIFIERS at a time.
 */
import { fetchDirectory } from "@/lib/protocol/acme/directory";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { db } from "@/lib/data/client";
import { getSetting } from "@/lib/data/settings";
import { AppError, userMessageOf } from "@/lib/core/app-error";
import { checkCaa, describeCaaAuthority, type CaaAuthority } from "@/lib/domain/preflight/checks/caa-check";
import { checkDnsName, checkIpIdentifier } from "@/lib/domain/preflight/checks/dns-check";
import { challengeUrl, describeProbe, placeProbe, probeAddress, type Http01Method, type PlacedProbe } from "@/lib/domain/preflight/checks/http-check";
import { checkStandalonePort } from "@/lib/domain/preflight/checks/standalone-port-check";
import { checkTlsAlpnPort } from "@/lib/domain/preflight/checks/tls-alpn-port-check";
import { createDnsClient, lookupAddresses, parseResolverList, type DnsClient } from "@/lib/protocol/dns/dns-client";
import { getHostAddresses, isHostAddress, type HostAddresses } from "@/lib/domain/preflight/host-addresses";
import { worstStatus, type PreflightCheck, type PreflightReport } from "@/lib/domain/preflight/preflight-types";
import type { Identifier } from "@/lib/protocol/names/names";
import { parseWebrootPaths } from "@/lib/domain/certificates/webroot-paths";
import { uploadedConflict } from "@/lib/domain/certificates/certificate-source";

const PARALLEL_IDENTIFIERS = 8;
const HTTP01_METHODS: ReadonlySet<string> = new Set(["http-01-app", "http-01-webroot", "http-01-standalone"]);

/** What is checked: a stored certificate's settings, or the add form's before anything is stored. */
export interface PreflightTarget {
  identifiers: Identifier[];
  challengeMethod: string;
  webrootPath?: string | null;
  /** Per-name webroots ({ name: path }); names not listed use webrootPath. */
  webrootPaths?: Record<string, string>;
  accountId: string;
}

/** Any failed check means the CA would (almost certainly) refuse: do not order unless the user says "issue anyway". */
export function preflightBlocksOrder(report: PreflightReport): boolean {
  return report.checks.some((check) => check.status === "fail");
}

export async function runPreflight(target: string | PreflightTarget, options: { now?: Date } = {}): Promise<PreflightReport> {
  const checkedAt = (options.now ?? new Date()).toISOString();
  const { identifiers, challengeMethod, webrootPath, webrootPaths = {}, accountId } = typeof target === "string" ? await loadTarget(target) : target;
  const [resolverSetting, validationHttpPort, standalonePort, tlsAlpnPort, host] = await Promise.all([
    getSetting("dnsResolvers"),
    getSetting("validationHttpPort"),
    getSetting("standalonePort"),
    getSetting("tlsAlpnPort"),
    getHostAddresses(),
  ]);

  const hostChecks: PreflightCheck[] = [];
  const resolvers = parseResolverList(resolverSetting);
  if (!resolvers.ok) {
    hostChecks.push({
      kind: "dns",
      status: "warn",
      message: `The DNS resolvers setting has entries CertDeck cannot use (${resolvers.errors.join("; ")}), so the system's resolver was asked instead.`,
      fix: "Correct the DNS resolvers under Settings → Network.",
    });
  }
  const dns = createDnsClient(resolverSetting);

  const method = HTTP01_METHODS.has(challengeMethod) ? (challengeMethod as Http01Method) : null;
  let canProbe = method !== null;
  if (method === "http-01-standalone") {
    const portCheck = await checkStandalonePort(standalonePort);
    hostChecks.push(portCheck);
    canProbe = portCheck.status === "pass";
  }

  if (challengeMethod === "tls-alpn-01") hostChecks.push(await checkTlsAlpnPort(tlsAlpnPort));

  // One probe per place the answers are published: each webroot (names may live on different
  // roots), or the one app route / standalone listener.
  const webrootFor = (name: string) => (method === "http-01-webroot" ? (webrootPaths[name] ?? webrootPath ?? null) : null);
  const probes = new Map<string, PlacedProbe>();
  if (method && canProbe) {
    for (const place of new Set(identifiers.map((identifier) => webrootFor(identifier.value) ?? ""))) {
      try {
        probes.set(place, await placeProbe(method, { webrootPath: place || null, standalonePort }));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        hostChecks.push({ kind: "http", status: "fail", message: `CertDeck could not publish a test challenge: ${error.userMessage}` });
      }
    }
  }
  const httpFor = (name: string) => {
    const webroot = webrootFor(name);
    const probe = probes.get(webroot ?? "");
    return probe && method ? { probe, method, port: validationHttpPort, webrootPath: webroot, standalonePort } : null;
  };

  let authority: Promise<CaaAuthority> | undefined;
  const getAuthority = () => (authority ??= loadCaaAuthority(accountId));

  try {
    const perIdentifier = await mapWithConcurrency(identifiers, PARALLEL_IDENTIFIERS, (identifier) =>
      checkIdentifier(identifier, {
        dns,
        host,
        getAuthority,
        isDns01: challengeMethod === "dns-01",
        http: httpFor(identifier.value),
      }),
    );
    const checks = [...hostChecks, ...perIdentifier.flat()];
    return { checkedAt, checks, status: worstStatus(checks) };
  } finally {
    for (const probe of probes.values()) {
      await probe.remove().catch((error: unknown) => console.error("[preflight] could not remove the probe token:", error));
    }
  }
}

/** Stores the report on the certificate (shown on its page; the job log may quote it). */
export async function savePreflightReport(certificateId: string, report: PreflightReport): Promise<void> {
  await db.certificate.update({
    where: { id: certificateId },
    data: { lastPreflight: JSON.stringify(report), lastPreflightAt: new Date(report.checkedAt) },
  });
}

async function loadTarget(certificateId: string): Promise<PreflightTarget> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { name: true, identifiers: true, challengeMethod: true, webrootPath: true, webrootPaths: true, accountId: true },
  });
  if (!certificate) throw new AppError("not_found", "That certificate does not exist.");
  // An uploaded certificate is never ordered here: there is nothing to check before an order.
  if (!certificate.accountId) throw uploadedConflict(certificate.name, "run the pre-flight check on");
  const { accountId, challengeMethod, webrootPath } = certificate;
  return {
    accountId,
    challengeMethod,
    webrootPath,
    identifiers: parseStoredIdentifiers(certificate.identifiers),
    webrootPaths: parseWebrootPaths(certificate.webrootPaths),
  };
}

async function loadCaaAuthority(accountId: string): Promise<CaaAuthority> {
  const account = await db.acmeAccount.findUnique({
    where: { id: accountId },
    select: { directoryUrl: true, caBundlePem: true, accountUrl: true, privateNetwork: true },
  });
  if (!account) return { ok: false, error: "The ACME account no longer exists." };
  try {
    const directory = await fetchDirectory(account.directoryUrl, account.caBundlePem, { network: accountNetwork(account) });
    const identities = directory.meta?.caaIdentities ?? [];
    return { ok: true, identities, label: describeCaaAuthority(identities, new URL(account.directoryUrl).hostname), accountUrl: account.accountUrl };
  } catch (error) {
    return { ok: false, error: userMessageOf(error) };
  }
}

interface IdentifierContext {
  dns: DnsClient;
  host: HostAddresses;
  getAuthority: () => Promise<CaaAuthority>;
  /** DNS-01 proves control through a TXT record: the name needs no address pointing here. */
  isDns01: boolean;
  http: { probe: PlacedProbe; method: Http01Method; port: number; webrootPath?: string | null; standalonePort: number } | null;
}

async function checkIdentifier(identifier: Identifier, context: IdentifierContext): Promise<PreflightCheck[]> {
  const { dns, host } = context;
  if (identifier.type === "ip") {
    // No DNS and no CAA for IP addresses (RFC 8738): the CA connects to the address itself.
    return [checkIpIdentifier(identifier, host), ...(await probeAll(identifier.value, [identifier.value], context))];
  }
  const name = identifier.value;
  if (name.startsWith("*.") || context.isDns01) return [await checkCaa(dns, name, context.getAuthority)];

  const lookup = await lookupAddresses(dns, name);
  const dnsChecks = checkDnsName(lookup, host, dns.describe());
  const addresses = [...(lookup.a.ok ? lookup.a.records : []), ...(lookup.aaaa.ok ? lookup.aaaa.records : [])];
  // When the resolver itself does not answer, asking it about CAA would only wait longer.
  const isResolverDown = [lookup.a, lookup.aaaa].every((result) => !result.ok && (result.failure.code === "timeout" || result.failure.code === "refused"));
  const [httpChecks, caaChecks] = await Promise.all([
    probeAll(name, addresses, context),
    isResolverDown ? Promise.resolve([]) : checkCaa(dns, name, context.getAuthority).then((check) => [check]),
  ]);
  return [...dnsChecks, ...httpChecks, ...caaChecks];
}

/** One GET per address, in turn. IPv6 addresses are skipped when this host has no IPv6 to ask from. */
async function probeAll(name: string, addresses: string[], context: IdentifierContext): Promise<PreflightCheck[]> {
  const { http, host } = context;
  if (!http) return [];
  const checks: PreflightCheck[] = [];
  for (const address of addresses) {
    if (address.includes(":") && host.ipv6.length === 0) continue;
    const result = await probeAddress({ name, address, port: http.port, token: http.probe.token, expected: http.probe.keyAuthorization });
    checks.push(
      describeProbe(result, {
        name,
        address,
        port: http.port,
        url: challengeUrl(name, http.port, http.probe.token),
        method: http.method,
        isHostAddress: isHostAddress(host, address),
        webrootPath: http.webrootPath,
        standalonePort: http.standalonePort,
      }),
    );
  }
  return checks;
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
