import { formatDateTime, formatRelative } from "@/lib/core/dates";
import type { TlsProbeResult } from "@/lib/protocol/tls/probe-tls-endpoint";
import { certificateNames } from "@/lib/protocol/tls/served-certificate";
import { TLS_ENDPOINT_STATUSES, TLS_NO_ANSWER_STATUSES, type TlsEndpointStatus } from "@/lib/protocol/tls/tls-endpoint-status";

/**
 * What a watched endpoint's last probe means: the probe's own status (refused, expired, wrong
 * name …), plus two of the watch's own: "expiring" (valid, but close to its end) and "stale" (it
 * serves another certificate than the current version of the managed certificate it should
 * serve). Also when to look again. Pure: the probe service passes the facts in.
 */
export const ENDPOINT_STATUSES = ["pending", ...TLS_ENDPOINT_STATUSES, "expiring", "stale"] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/** Statuses in which the endpoint completed no TLS handshake: nothing was served. */
export const NO_ANSWER_STATUSES: ReadonlySet<EndpointStatus> = new Set<EndpointStatus>(TLS_NO_ANSWER_STATUSES);

export function isEndpointStatus(value: string): value is EndpointStatus {
  return (ENDPOINT_STATUSES as readonly string[]).includes(value);
}

/** A stored status as the UI and metrics may trust it (an unknown word reads as "pending"). */
export function parseEndpointStatus(value: string): EndpointStatus {
  return isEndpointStatus(value) ? value : "pending";
}

export const ENDPOINT_STATUS_LABELS: Record<EndpointStatus, string> = {
  pending: "Not checked yet",
  ok: "OK",
  expiring: "Expiring",
  stale: "Served ≠ issued",
  "dns-failed": "DNS failed",
  refused: "Refused",
  unreachable: "Unreachable",
  timeout: "Timed out",
  "not-tls": "Not TLS",
  "handshake-failed": "Handshake failed",
  expired: "Expired",
  "not-yet-valid": "Not yet valid",
  "wrong-name": "Wrong name",
  "self-signed": "Self-signed",
  untrusted: "Untrusted",
  "incomplete-chain": "Incomplete chain",
};

export type EndpointTone = "green" | "amber" | "red" | "gray";

export function endpointStatusTone(status: EndpointStatus): EndpointTone {
  if (status === "ok") return "green";
  if (status === "pending") return "gray";
  if (status === "expiring" || status === "stale" || status === "incomplete-chain") return "amber";
  return "red";
}

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/** At most this many days before its end, a served certificate counts as expiring. */
export const ENDPOINT_EXPIRING_DAYS = 14;

/**
 * From when a served certificate counts as "expiring": 14 days before its end, or later for
 * short-lived certificates, when a third of their lifetime is left (half under 10 days, as
 * renewals do). A 6-day certificate would otherwise be "expiring" all its life.
 */
export function expiringFrom(notBefore: Date, notAfter: Date): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const remainingFraction = lifetime < 10 * DAY_MS ? 1 / 2 : 1 / 3;
  const left = Math.min(ENDPOINT_EXPIRING_DAYS * DAY_MS, lifetime * remainingFraction);
  return new Date(notAfter.getTime() - left);
}

/** One version of the managed certificate, as the classification needs it. */
export interface ManagedVersionFacts {
  id: string;
  version: number;
  fingerprintSha256: string;
  createdAt: Date;
  /** deployed, waiting-window, pending, deploy-failed (CertificateVersion.deployStatus). */
  deployStatus: string;
}

/** The managed certificate an endpoint should serve. */
export interface ManagedCertificateFacts {
  name: string;
  /** null: not issued yet (nothing to compare with). */
  current: ManagedVersionFacts | null;
  /** Every version, to name the one served. */
  versions: Array<Pick<ManagedVersionFacts, "id" | "version" | "fingerprintSha256">>;
}

export interface EndpointClassification {
  status: EndpointStatus;
  message: string;
  /** A TLS handshake completed (a certificate was served, good or bad). */
  answered: boolean;
  /** For a managed certificate with a current version: whether that version is served. null otherwise, or when nothing was served. */
  servedAsIssued: boolean | null;
  /** The version of the managed certificate that is served, when it is one of them. */
  servedVersion: number | null;
  /** The "serves version 3 …, not version 4 …" sentence when the managed certificate's current version is not served. */
  staleDescription: string | null;
  /** Stale, and the current version is still on its way (waiting for its deploy window, or deploying): no alarm yet. */
  isStaleExpected: boolean;
}

/** "AB:CD:EF:01:23:45…": enough to tell certificates apart in a sentence. */
export function shortFingerprint(fingerprint: string): string {
  const groups = fingerprint.toUpperCase().split(":");
  return groups.length > 6 ? `${groups.slice(0, 6).join(":")}…` : fingerprint.toUpperCase();
}

export function sameFingerprint(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a && b && a.replaceAll(":", "").toUpperCase() === b.replaceAll(":", "").toUpperCase());
}

/**
 * The endpoint's status from a probe. Precedence: no answer (the probe's status), then what
 * breaks clients (expired, wrong name, untrusted …, with "stale" added as a second sentence when
 * it is also the wrong certificate), then stale, then expiring, then ok.
 */
export function classifyEndpointProbe(input: {
  probe: Pick<TlsProbeResult, "status" | "message" | "endpoint" | "served">;
  managed: ManagedCertificateFacts | null;
  now: Date;
  timeZone: string;
}): EndpointClassification {
  const { probe, managed, now, timeZone } = input;
  const served = probe.served;
  if (!served) {
    return {
      status: probe.status as TlsEndpointStatus,
      message: probe.message,
      answered: false,
      servedAsIssued: null,
      servedVersion: null,
      staleDescription: null,
      isStaleExpected: false,
    };
  }
  const leaf = served.leaf;
  const servedVersion = managed?.versions.find((version) => sameFingerprint(version.fingerprintSha256, leaf.fingerprintSha256))?.version ?? null;
  const current = managed?.current ?? null;
  const servedAsIssued = current ? sameFingerprint(current.fingerprintSha256, leaf.fingerprintSha256) : null;
  const staleSentence = managed && current && servedAsIssued === false ? describeStale(managed.name, current, servedVersion, leaf, timeZone) : null;
  const isStaleExpected = Boolean(staleSentence && current && (current.deployStatus === "waiting-window" || current.deployStatus === "pending"));
  const result = (status: EndpointStatus, message: string): EndpointClassification => ({
    status,
    message,
    answered: true,
    servedAsIssued,
    servedVersion,
    staleDescription: staleSentence,
    isStaleExpected,
  });

  if (probe.status !== "ok") return result(probe.status, staleSentence ? `${probe.message} ${staleSentence}` : probe.message);
  if (staleSentence) return result("stale", staleSentence);
  if (now >= expiringFrom(leaf.notBefore, leaf.notAfter)) {
    const names = certificateNames(leaf).join(", ");
    return result(
      "expiring",
      `${probe.endpoint} serves a valid, trusted certificate for ${names}, but it expires ${formatRelative(leaf.notAfter, now)} (${formatDateTime(leaf.notAfter, timeZone)}).`,
    );
  }
  return result("ok", probe.message);
}

function describeStale(
  certificateName: string,
  current: ManagedVersionFacts,
  servedVersion: number | null,
  leaf: { fingerprintSha256: string; issuer: string },
  timeZone: string,
): string {
  const fingerprint = `SHA-256 ${shortFingerprint(leaf.fingerprintSha256)}`;
  const what =
    servedVersion !== null
      ? `It serves version ${servedVersion} of ${certificateName} (${fingerprint})`
      : `It serves a certificate CertDeck did not issue (${fingerprint}, issued by ${leaf.issuer})`;
  const since = `not version ${current.version}, issued on ${formatDateTime(current.createdAt, timeZone)}`;
  const why =
    current.deployStatus === "waiting-window"
      ? ` Version ${current.version} waits for its deploy window.`
      : current.deployStatus === "pending"
        ? ` Version ${current.version} is being deployed.`
        : current.deployStatus === "deploy-failed"
          ? ` Deploying version ${current.version} failed.`
          : servedVersion !== null
            ? " Reload the server, or check that it reads CertDeck's live/ files."
            : ` Point the server at ${certificateName}'s live/ files.`;
  return `${what}, ${since}.${why}`;
}

/**
 * When to probe again: every 6 hours while all is well, every hour while something is wrong
 * with the certificate (expiring, stale, expired, wrong name …) so a fix shows soon, and for an
 * endpoint that does not answer, 5 minutes after the first failure (the second one confirms
 * the outage and notifies), then twice as long each time, up to 6 hours.
 */
export function nextCheckDelayMs(status: EndpointStatus, consecutiveFailures: number): number {
  if (status === "ok") return 6 * HOUR_MS;
  if (NO_ANSWER_STATUSES.has(status)) return Math.min(6 * HOUR_MS, 5 * MINUTE_MS * 2 ** Math.max(0, consecutiveFailures - 1));
  return HOUR_MS;
}

/** A failed probe in a row counts towards "stops answering" only when nothing answered. */
export function nextConsecutiveFailures(previous: number, answered: boolean): number {
  return answered ? 0 : previous + 1;
}

/** Failures in a row after which an endpoint "stopped answering" (and a notification goes out). */
export const DOWN_AFTER_FAILURES = 2;
