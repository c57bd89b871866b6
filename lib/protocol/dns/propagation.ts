/**
 * DNS-01 propagation check: before the CA is asked, every authoritative nameserver of the zone
 * must show the TXT value. CNAMEs at `_acme-challenge.<name>` are followed (so an alias into
 * another zone works); the zone comes from its SOA, its nameservers from NS through the
 * configured resolvers (setting `dnsResolvers`), and each nameserver address is asked directly
 * (setting `authoritativeDnsPort`), without recursion.
 */
import type { ResponderLog } from "@/lib/protocol/acme/challenge-responder";
import {
  createDnsClient,
  findAuthoritativeServers,
  findZone,
  followCnames,
  MAX_CNAME_HOPS,
  queryServer,
  recordsAt,
  unansweredError,
  type AuthoritativeServer,
  type CnameChain,
  type DnsClient,
} from "@/lib/protocol/dns/dns-client";
import { normalizeName, Rcode, rcodeName, RecordType } from "@/lib/protocol/dns/wire/dns-message";
import { describeServer, DnsTransportError } from "@/lib/protocol/dns/wire/dns-transport";
import { AppError, userMessageOf } from "@/lib/core/app-error";

export interface TxtRecordExpectation {
  /** The name the record belongs at, e.g. `_acme-challenge.example.com` (CNAMEs are followed). */
  fqdn: string;
  value: string;
}

export type NameserverStatus = "visible" | "missing-value" | "no-txt" | "nxdomain" | "not-authoritative" | "refused" | "error" | "no-answer";

export interface NameserverView {
  nameserver: string;
  /** The address asked, "192.0.2.1" or "127.0.0.1:5353". */
  server: string;
  status: NameserverStatus;
  /** The TXT values it showed at the name. */
  values: string[];
  /** How it falls short, in words ("it answers NXDOMAIN"); absent when visible. */
  problem?: string;
}

export interface RecordPropagation {
  fqdn: string;
  /** The name after CNAMEs: where the TXT record must be. */
  recordName: string;
  cnameChain: string[];
  zone?: string;
  values: string[];
  servers: NameserverView[];
  isVisible: boolean;
  /** Why the nameservers could not even be asked (no zone, no NS ...). */
  problem?: string;
}

export interface PropagationReport {
  isComplete: boolean;
  records: RecordPropagation[];
  /** One or more sentences for the job log or the page. */
  summary: string;
  checkedAt: string;
}

/** Where to ask: the operator's resolvers and the port authoritative nameservers listen on. */
export interface DnsLookupSettings {
  /** "1.1.1.1, 9.9.9.9:53"; "" = the system's resolvers. */
  resolvers: string;
  /** 53 on the internet; lab nameservers may listen elsewhere. */
  authoritativePort: number;
}

export interface PropagationOptions extends DnsLookupSettings {
  signal?: AbortSignal;
}

interface LookupContext {
  resolver: DnsClient;
  port: number;
}

interface RecordPlan {
  fqdn: string;
  recordName: string;
  cnameChain: string[];
  zone: string;
  servers: AuthoritativeServer[];
}

function loadContext(options: PropagationOptions): LookupContext {
  return { resolver: createDnsClient(options.resolvers), port: options.authoritativePort };
}

/** The CNAME chain at a challenge name; DNS-01 cannot go on when it breaks or a resolver does not answer. */
async function followChallengeCnames(resolver: DnsClient, name: string, signal?: AbortSignal): Promise<CnameChain> {
  const chain = await followCnames(resolver, name, signal);
  if (chain.unanswered) throw unansweredError(chain.finalName, chain.unanswered);
  if (chain.problem) {
    const { kind, target } = chain.problem;
    throw new AppError(
      "challenge_failed",
      `The CNAME records at ${name} ${kind === "loop" ? "form a loop" : `go through more than ${MAX_CNAME_HOPS} names`} (${[name, ...chain.targets, target].join(" → ")}). Point ${name} at one name that holds the TXT record.`,
      { reason: "dns" },
    );
  }
  return chain;
}

/**
 * The name a challenge's TXT record must be written at: `name` (e.g. `_acme-challenge.example.com`)
 * after following its CNAMEs through the configured resolvers. Lower case, no trailing dot.
 */
export async function resolveChallengeRecordName(name: string, options: PropagationOptions): Promise<string> {
  const { resolver } = loadContext(options);
  return (await followChallengeCnames(resolver, name, options.signal)).finalName;
}

async function planRecord(context: LookupContext, fqdn: string, signal?: AbortSignal): Promise<RecordPlan> {
  const { finalName, targets } = await followChallengeCnames(context.resolver, fqdn, signal);
  const zone = await findZone(context.resolver, finalName, signal);
  const servers = await findAuthoritativeServers(context.resolver, zone, context.port, signal);
  return { fqdn: normalizeName(fqdn), recordName: finalName, cnameChain: targets, zone, servers };
}

function quoteList(values: string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}

async function observe(server: AuthoritativeServer, recordName: string, expected: string[], signal?: AbortSignal): Promise<NameserverView> {
  const base = { nameserver: server.nameserver, server: describeServer(server.address) };
  try {
    const answer = await queryServer(server.address, recordName, RecordType.TXT, { recursionDesired: false, timeoutMs: 2000, signal });
    const values = recordsAt(answer, recordName, RecordType.TXT).map((record) => record.data as string);
    if (answer.rcode === Rcode.REFUSED)
      return { ...base, status: "refused", values, problem: "it refuses the question (REFUSED), so it does not serve the zone" };
    if (answer.rcode !== Rcode.NOERROR && answer.rcode !== Rcode.NXDOMAIN) {
      return { ...base, status: "error", values, problem: `it answers ${rcodeName(answer.rcode)}` };
    }
    if (!answer.isAuthoritative) {
      return {
        ...base,
        status: "not-authoritative",
        values,
        problem: "it answers without authority (the zone is not loaded there, or it is not a nameserver of the zone)",
      };
    }
    const missing = expected.filter((value) => !values.includes(value));
    if (missing.length === 0) return { ...base, status: "visible", values };
    if (answer.rcode === Rcode.NXDOMAIN) return { ...base, status: "nxdomain", values, problem: "it answers NXDOMAIN (the name does not exist there yet)" };
    if (values.length === 0) return { ...base, status: "no-txt", values, problem: "it has no TXT record at that name yet" };
    return {
      ...base,
      status: "missing-value",
      values,
      problem: `${quoteList(missing)} ${missing.length === 1 ? "is" : "are"} missing (it shows ${quoteList(values)})`,
    };
  } catch (error) {
    if (error instanceof DnsTransportError) {
      if (error.problem === "aborted") throw error;
      return {
        ...base,
        status: "no-answer",
        values: [],
        problem: error.problem === "timeout" ? "it does not answer (timeout)" : `it cannot be asked: ${error.message}`,
      };
    }
    throw error;
  }
}

function recordLabel(record: Pick<RecordPropagation, "fqdn" | "recordName" | "cnameChain">): string {
  return record.cnameChain.length > 0 ? `${record.fqdn} (CNAME → ${record.cnameChain.join(" → ")})` : record.fqdn;
}

function describeReport(records: RecordPropagation[]): string {
  const pending = records.filter((record) => !record.isVisible);
  if (pending.length === 0) {
    const servers = [...new Set(records.flatMap((record) => record.servers.map((server) => `${server.nameserver} (${server.server})`)))];
    return `The TXT records are visible at every authoritative nameserver: ${records.map(recordLabel).join(", ")} at ${servers.join(", ")}.`;
  }
  return pending
    .map((record) => {
      if (record.problem) return `${recordLabel(record)}: ${record.problem}`;
      const lagging = record.servers.filter((server) => server.status !== "visible");
      const value = record.values.length === 1 ? `value "${record.values[0]}"` : `values ${quoteList(record.values)}`;
      return `The TXT record ${recordLabel(record)} (${value}) is not visible at ${lagging.map((server) => `${server.nameserver} (${server.server}): ${server.problem}`).join("; ")}.`;
    })
    .join(" ");
}

function groupByName(records: TxtRecordExpectation[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { fqdn, value } of records) {
    const key = normalizeName(fqdn);
    const values = grouped.get(key) ?? [];
    if (!values.includes(value)) values.push(value);
    grouped.set(key, values);
  }
  return grouped;
}

async function checkPlanned(
  grouped: Map<string, string[]>,
  plans: Map<string, RecordPlan | { problem: string }>,
  signal?: AbortSignal,
): Promise<PropagationReport> {
  const records = await Promise.all(
    [...grouped].map(async ([fqdn, values]): Promise<RecordPropagation> => {
      const plan = plans.get(fqdn)!;
      if ("problem" in plan) return { fqdn, recordName: fqdn, cnameChain: [], values, servers: [], isVisible: false, problem: plan.problem };
      const servers = await Promise.all(plan.servers.map((server) => observe(server, plan.recordName, values, signal)));
      return { ...plan, values, servers, isVisible: servers.every((server) => server.status === "visible") };
    }),
  );
  return { isComplete: records.every((record) => record.isVisible), records, summary: describeReport(records), checkedAt: new Date().toISOString() };
}

async function planAll(context: LookupContext, names: string[], plans: Map<string, RecordPlan | { problem: string }>, signal?: AbortSignal): Promise<void> {
  await Promise.all(
    names.map(async (fqdn) => {
      try {
        plans.set(fqdn, await planRecord(context, fqdn, signal));
      } catch (error) {
        if (error instanceof DnsTransportError && error.problem === "aborted") throw error;
        if (!(error instanceof AppError)) throw error;
        plans.set(fqdn, { problem: userMessageOf(error) });
      }
    }),
  );
}

/** One look at every authoritative nameserver (the "Check now" button). Never throws for DNS trouble. */
export async function checkTxtRecords(records: TxtRecordExpectation[], options: PropagationOptions): Promise<PropagationReport> {
  const context = loadContext(options);
  const grouped = groupByName(records);
  const plans = new Map<string, RecordPlan | { problem: string }>();
  await planAll(context, [...grouped.keys()], plans, options.signal);
  return checkPlanned(grouped, plans, options.signal);
}

const POLL_INTERVAL_MS = 1000;
const PROGRESS_LOG_INTERVAL_MS = 15_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Polls (about once a second) until every record's value is visible at every authoritative
 * nameserver of its zone; throws AppError("challenge_failed") naming the laggards after `timeoutMs`.
 */
export async function waitForTxtRecords(
  records: TxtRecordExpectation[],
  options: { timeoutMs: number; log?: ResponderLog } & PropagationOptions,
): Promise<void> {
  const started = Date.now();
  const context = loadContext(options);
  const grouped = groupByName(records);
  const plans = new Map<string, RecordPlan | { problem: string }>();
  let lastProgressLog = started;
  for (let round = 0; ; round++) {
    // Plans that failed (no zone yet, a resolver hiccup) are made again each round.
    const unplanned = [...grouped.keys()].filter((fqdn) => !plans.has(fqdn) || "problem" in plans.get(fqdn)!);
    await planAll(context, unplanned, plans, options.signal);
    if (round === 0 && options.log) {
      const where = [...plans.values()]
        .filter((plan): plan is RecordPlan => !("problem" in plan))
        .map(
          (plan) =>
            `${plan.recordName} in zone ${plan.zone} at ${plan.servers.map((server) => `${server.nameserver} (${describeServer(server.address)})`).join(", ")}`,
        );
      await options.log(
        "dns",
        `Waiting until the TXT records are visible at every authoritative nameserver (up to ${Math.round(options.timeoutMs / 1000)} s)${where.length > 0 ? `: ${where.join("; ")}` : ""}`,
      );
    }
    const report = await checkPlanned(grouped, plans, options.signal);
    const elapsed = Date.now() - started;
    if (report.isComplete) {
      await options.log?.("dns", `${report.summary.replace(/\.$/, "")} (after ${Math.round(elapsed / 1000)} s).`);
      return;
    }
    if (elapsed >= options.timeoutMs) {
      await options.log?.("dns", "Propagation check gave up", { level: "error", detail: report.records });
      throw new AppError(
        "challenge_failed",
        `After ${Math.round(options.timeoutMs / 1000)} s: ${report.summary} Check that the record was created in the right zone and that every nameserver has the change (secondaries receive it by NOTIFY and zone transfer), or raise the DNS provider's propagation timeout. Nothing was sent to the CA for validation.`,
        { reason: "dns" },
      );
    }
    if (options.log && Date.now() - lastProgressLog >= PROGRESS_LOG_INTERVAL_MS) {
      lastProgressLog = Date.now();
      await options.log("dns", `Still waiting (${Math.round(elapsed / 1000)} s): ${report.summary}`);
    }
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, options.timeoutMs - elapsed)), options.signal);
  }
}
