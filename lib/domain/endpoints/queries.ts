import "server-only";
import { X509Certificate } from "node:crypto";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { endpointTitle } from "@/lib/domain/notifications/endpoint-events";
import type { EditEndpointInput } from "@/lib/domain/endpoints/endpoint-input";
import { expiringFrom, NO_ANSWER_STATUSES, parseEndpointStatus, sameFingerprint, type EndpointStatus } from "@/lib/domain/endpoints/endpoint-status";
import { formatEndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import { describeCertificate, type ServedCertificate } from "@/lib/protocol/tls/served-certificate";
import { splitPemChain } from "@/lib/protocol/x509/x509";

/**
 * What the pages show of watched endpoints. Served versions are found by fingerprint among the
 * managed certificate's versions in one query for the whole list, not one per row.
 */
export interface EndpointRow {
  id: string;
  /** "shop.example.com:443" */
  address: string;
  host: string;
  port: number;
  serverName: string | null;
  label: string | null;
  /** "label (www.example.com at 10.0.0.5:443)" */
  title: string;
  status: EndpointStatus;
  message: string | null;
  checkedAt: Date | null;
  nextCheckAt: Date;
  consecutiveFailures: number;
  /** The last completed handshake's leaf. */
  fingerprintSha256: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  /** When the served certificate counts as expiring (the countdown turns amber). */
  expiringFrom: Date | null;
  issuer: string | null;
  servedNames: string[];
  /** The last probe completed a handshake. */
  isUp: boolean;
  hasCaBundle: boolean;
  certificate: { id: string; name: string; currentVersion: number | null } | null;
  /** For a managed certificate: its current version is what was last served. null: nothing to compare (no certificate, no version, nothing served yet). */
  servedAsIssued: boolean | null;
  /** The managed certificate's version that was last served, when it is one of its versions. */
  servedVersion: number | null;
  target: { id: string; name: string } | null;
}

const ROW_SELECT = {
  id: true,
  host: true,
  port: true,
  serverName: true,
  label: true,
  status: true,
  message: true,
  checkedAt: true,
  nextCheckAt: true,
  consecutiveFailures: true,
  fingerprintSha256: true,
  notBefore: true,
  notAfter: true,
  issuer: true,
  servedNames: true,
  caBundlePem: true,
  certificate: { select: { id: true, name: true, currentVersion: { select: { version: true, fingerprintSha256: true } } } },
  target: { select: { id: true, name: true } },
} as const;

type RawRow = Awaited<ReturnType<typeof readRows>>[number];

function readRows(where: Prisma.EndpointWhereInput, take?: number) {
  return db.endpoint.findMany({ where, select: ROW_SELECT, orderBy: [{ host: "asc" }, { port: "asc" }, { serverName: "asc" }], take });
}

function parseNames(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === "string") : [];
  } catch {
    return [];
  }
}

/** Served versions by certificate and fingerprint, for every row at once. */
async function servedVersionsOf(rows: RawRow[]): Promise<Map<string, number>> {
  const wanted = rows.filter((row) => row.certificate && row.fingerprintSha256);
  if (wanted.length === 0) return new Map();
  const versions = await db.certificateVersion.findMany({
    where: {
      certificateId: { in: [...new Set(wanted.map((row) => row.certificate!.id))] },
      fingerprintSha256: { in: [...new Set(wanted.map((row) => row.fingerprintSha256!))] },
    },
    select: { certificateId: true, version: true, fingerprintSha256: true },
  });
  return new Map(versions.map((version) => [`${version.certificateId}|${version.fingerprintSha256.toUpperCase()}`, version.version]));
}

function toRow(row: RawRow, versions: Map<string, number>): EndpointRow {
  const address = formatEndpointAddress(row);
  const status = parseEndpointStatus(row.status);
  const current = row.certificate?.currentVersion ?? null;
  return {
    id: row.id,
    address,
    host: row.host,
    port: row.port,
    serverName: row.serverName,
    label: row.label,
    title: endpointTitle({ address, serverName: row.serverName, label: row.label }),
    status,
    message: row.message,
    checkedAt: row.checkedAt,
    nextCheckAt: row.nextCheckAt,
    consecutiveFailures: row.consecutiveFailures,
    fingerprintSha256: row.fingerprintSha256,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    expiringFrom: row.notBefore && row.notAfter ? expiringFrom(row.notBefore, row.notAfter) : null,
    issuer: row.issuer,
    servedNames: parseNames(row.servedNames),
    isUp: status !== "pending" && !NO_ANSWER_STATUSES.has(status),
    hasCaBundle: Boolean(row.caBundlePem),
    certificate: row.certificate ? { id: row.certificate.id, name: row.certificate.name, currentVersion: current?.version ?? null } : null,
    servedAsIssued: current && row.fingerprintSha256 ? sameFingerprint(current.fingerprintSha256, row.fingerprintSha256) : null,
    servedVersion: row.certificate && row.fingerprintSha256 ? (versions.get(`${row.certificate.id}|${row.fingerprintSha256.toUpperCase()}`) ?? null) : null,
    target: row.target,
  };
}

/** How urgent a row is, for the list's order: problems first, then expiring, then the rest. */
function urgency(row: EndpointRow): number {
  if (row.status === "pending") return 3;
  if (row.status === "ok") return 4;
  if (row.status === "expiring" || row.status === "stale") return 1;
  return 0;
}

/** The served certificate counts as expiring (or expired) by `now`. */
function isExpiringSoon(row: EndpointRow, now: Date): boolean {
  return Boolean(row.notAfter && row.expiringFrom && now >= row.expiringFrom);
}

/** Not answering, or serving a certificate clients refuse. */
function isProblem(row: EndpointRow): boolean {
  return row.status !== "ok" && row.status !== "pending" && row.status !== "expiring" && row.status !== "stale";
}

/** Worth a look: a problem, a served certificate that expires soon, or not the current version of its managed certificate. */
function needsAttention(row: EndpointRow, now: Date): boolean {
  return isProblem(row) || isExpiringSoon(row, now) || row.servedAsIssued === false;
}

/** Narrows the list (the REST API's filters); none: every endpoint. */
export interface EndpointFilter {
  status?: EndpointStatus;
  certificateId?: string;
  /** Only the endpoints the overview lists as worth a look (needsAttention). */
  needsAttention?: boolean;
}

/** The endpoint list reads at most this many rows (the page renders them all; the counts cover every endpoint). */
export const ENDPOINT_LIST_LIMIT = 2000;

export interface EndpointList {
  /** Problems first, then by soonest expiry. */
  rows: EndpointRow[];
  /** How many endpoints the filter's status and certificate match, and how many of them are fine: more than the rows when the list stops at ENDPOINT_LIST_LIMIT. */
  total: number;
  okTotal: number;
}

/**
 * The watched endpoints that pass `filter`. Past ENDPOINT_LIST_LIMIT, those that are not fine
 * (problems, expiring, stale, not checked yet) are read first, so a long list never hides one.
 */
export async function listEndpoints(filter: EndpointFilter = {}, now = new Date()): Promise<EndpointList> {
  const where: Prisma.EndpointWhereInput = { status: filter.status, certificateId: filter.certificateId };
  const [notFine, counts] = await Promise.all([
    readRows({ AND: [where, { status: { not: "ok" } }] }, ENDPOINT_LIST_LIMIT),
    db.endpoint.groupBy({ by: ["status"], where, _count: { _all: true } }),
  ]);
  const fine = notFine.length < ENDPOINT_LIST_LIMIT ? await readRows({ AND: [where, { status: "ok" }] }, ENDPOINT_LIST_LIMIT - notFine.length) : [];
  const raw = [...notFine, ...fine];
  const versions = await servedVersionsOf(raw);
  const rows = raw.map((row) => toRow(row, versions)).filter((row) => !filter.needsAttention || needsAttention(row, now));
  return {
    rows: rows.sort(
      (a, b) => urgency(a) - urgency(b) || (a.notAfter?.getTime() ?? Infinity) - (b.notAfter?.getTime() ?? Infinity) || a.title.localeCompare(b.title),
    ),
    total: counts.reduce((sum, group) => sum + group._count._all, 0),
    okTotal: counts.find((group) => group.status === "ok")?._count._all ?? 0,
  };
}

/** A managed certificate's endpoints, for its page. */
export async function listCertificateEndpoints(certificateId: string): Promise<EndpointRow[]> {
  const raw = await readRows({ certificateId });
  const versions = await servedVersionsOf(raw);
  return raw.map((row) => toRow(row, versions));
}

export interface EndpointDetail extends EndpointRow {
  caBundlePem: string | null;
  /** The chain last served, leaf first. */
  chain: ServedCertificate[];
}

export async function getEndpointDetail(id: string): Promise<EndpointDetail | null> {
  const raw = await db.endpoint.findUnique({ where: { id }, select: { ...ROW_SELECT, chainPem: true } });
  if (!raw) return null;
  const versions = await servedVersionsOf([raw]);
  let chain: ServedCertificate[] = [];
  try {
    chain = raw.chainPem ? splitPemChain(raw.chainPem).map((pem) => describeCertificate(new X509Certificate(pem))) : [];
  } catch {
    chain = [];
  }
  return { ...toRow(raw, versions), caBundlePem: raw.caBundlePem, chain };
}

/** An endpoint's settings as the edit command takes them: what a change of some of them starts from. */
export function endpointInputOf(endpoint: EndpointDetail): EditEndpointInput {
  return {
    id: endpoint.id,
    address: endpoint.address,
    serverName: endpoint.serverName,
    caBundlePem: endpoint.caBundlePem,
    label: endpoint.label,
    certificateId: endpoint.certificate?.id ?? null,
  };
}

/** The certificates an endpoint may be tied to, for the form's choice. */
export async function listCertificateChoices(): Promise<Array<{ id: string; name: string }>> {
  return db.certificate.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" }, take: 5000 });
}

export interface EndpointOverview {
  total: number;
  ok: number;
  /** Serving a certificate that counts as expiring (or expired). */
  expiringSoon: number;
  /** Managed: the last served certificate is not the current version. */
  servedNotIssued: number;
  /** Not answering, or serving a certificate clients refuse. */
  problems: number;
  /** The most urgent endpoints, for the overview's section. */
  attention: EndpointRow[];
  /** Endpoints of managed certificates, for "served as issued" at a glance. */
  managed: EndpointRow[];
}

/** Counts and the rows worth a look, from the list already read (the Endpoints page and the overview share it). */
export function summarizeEndpoints({ rows, total, okTotal }: EndpointList, now: Date, limit = 8): EndpointOverview {
  return {
    total,
    ok: okTotal,
    expiringSoon: rows.filter((row) => isExpiringSoon(row, now)).length,
    servedNotIssued: rows.filter((row) => row.servedAsIssued === false).length,
    problems: rows.filter(isProblem).length,
    attention: rows.filter((row) => needsAttention(row, now)).slice(0, limit),
    managed: rows
      .filter((row) => row.certificate)
      .sort((a, b) => Number(a.servedAsIssued === true) - Number(b.servedAsIssued === true) || a.certificate!.name.localeCompare(b.certificate!.name))
      .slice(0, limit),
  };
}

/** The overview's endpoint tiles and rows: one read of every endpoint (and one of the served versions). */
export async function getEndpointOverview(now = new Date(), limit = 8): Promise<EndpointOverview> {
  return summarizeEndpoints(await listEndpoints(), now, limit);
}
