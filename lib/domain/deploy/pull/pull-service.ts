import "server-only";
import { AppError } from "@/lib/core/app-error";
import { fieldErrorsOfZod } from "@/lib/core/field-errors";
import { db } from "@/lib/data/client";
import { refreshVersionDeployStatus } from "@/lib/domain/deploy/deploy-version";
import { decryptSecret } from "@/lib/data/secret-box";
import type { AuthenticatedPuller } from "@/lib/domain/deploy/pull/authenticate-puller";
import {
  filesOfScope,
  formatManifest,
  ifNoneMatchMatches,
  isPullFile,
  pullFileContent,
  pullReportSchema,
  versionEtag,
  type PullReport,
} from "@/lib/domain/deploy/pull/pull-protocol";

/** A conditional read: `body` is null when the client already has this version (If-None-Match). */
export interface PullAnswer {
  etag: string;
  version: number;
  body: string | null;
}

/**
 * The certificate name a request may add as ?certificate=…: the agent sends the name it was set
 * up for, so a token pasted into the wrong machine's configuration is refused instead of
 * installing another certificate there.
 */
export function assertPullerCertificate(puller: AuthenticatedPuller, expected: string | null): void {
  if (expected === null || expected === puller.certificate.name || expected === puller.certificate.id) return;
  throw new AppError(
    "forbidden",
    `This token belongs to the puller "${puller.name}" of ${puller.certificate.name}, not to ${expected.slice(0, 253)}: the agent's configuration mixes two pullers. Use the token made for ${expected.slice(0, 253)}.`,
  );
}

async function currentVersionOf(puller: AuthenticatedPuller) {
  const certificate = await db.certificate.findUnique({
    where: { id: puller.certificate.id },
    select: { name: true, status: true, currentVersion: { select: { id: true, version: true, fingerprintSha256: true, notAfter: true } } },
  });
  if (!certificate) throw new AppError("not_found", `${puller.certificate.name} was deleted, so there is nothing to fetch. Revoke the puller's agent.`);
  if (!certificate.currentVersion) {
    throw new AppError(
      "not_found",
      `${certificate.name} has not been issued yet (status ${certificate.status}). The agent installs it on a run after its first issuance.`,
    );
  }
  return { name: certificate.name, ...certificate.currentVersion };
}

/** The manifest of the current version (scope, files, version, ETag), or null body when unchanged. */
export async function readPullManifest(puller: AuthenticatedPuller, ifNoneMatch: string | null): Promise<PullAnswer> {
  const current = await currentVersionOf(puller);
  const etag = versionEtag(current.version, current.fingerprintSha256);
  if (ifNoneMatchMatches(ifNoneMatch, etag)) return { etag, version: current.version, body: null };
  const body = formatManifest({
    certificate: current.name,
    puller: puller.name,
    version: current.version,
    etag,
    fingerprintSha256: current.fingerprintSha256,
    notAfter: current.notAfter,
    scope: puller.scope,
  });
  return { etag, version: current.version, body };
}

/**
 * One file of the current version. `requestedVersion` (the manifest's version) must still be
 * current: when a renewal landed between the manifest and the files, AppError("conflict") makes
 * the agent stop before mixing two versions, and its next run takes the new one. privkey.pem is
 * only for the "certificate-and-key" scope; the key is decrypted only then.
 */
export async function readPullFile(
  puller: AuthenticatedPuller,
  file: string,
  options: { requestedVersion: string | null; ifNoneMatch: string | null },
): Promise<PullAnswer> {
  if (!isPullFile(file))
    throw new AppError("not_found", `There is no file "${file.slice(0, 64)}": the files are ${filesOfScope("certificate-and-key").join(", ")}.`);
  if (!filesOfScope(puller.scope).includes(file)) {
    throw new AppError(
      "forbidden",
      `The puller "${puller.name}" may fetch the certificate only, not privkey.pem. For a machine that needs the key, add a puller with the scope "Certificate and key".`,
    );
  }
  const current = await currentVersionOf(puller);
  if (options.requestedVersion !== null && options.requestedVersion !== String(current.version)) {
    throw new AppError(
      "conflict",
      `Version ${options.requestedVersion.slice(0, 12)} is no longer the current version of ${current.name} (now ${current.version}): fetch the manifest again.`,
    );
  }
  const etag = versionEtag(current.version, current.fingerprintSha256);
  if (ifNoneMatchMatches(options.ifNoneMatch, etag)) return { etag, version: current.version, body: null };
  const { chainPem } = await db.certificateVersion.findUniqueOrThrow({ where: { id: current.id }, select: { chainPem: true } });
  let privateKeyPem: string | null = null;
  if (file === "privkey.pem") {
    const { privateKeyEnc } = await db.certificateVersion.findUniqueOrThrow({ where: { id: current.id }, select: { privateKeyEnc: true } });
    privateKeyPem = decryptSecret(privateKeyEnc);
  }
  return { etag, version: current.version, body: pullFileContent(file, chainPem, privateKeyPem) };
}

/** Parses a report (a form or JSON object of strings); AppError("invalid_input") names the fields. */
export function parsePullReport(raw: unknown): PullReport {
  const parsed = pullReportSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOfZod(parsed.error);
    throw new AppError(
      "invalid_input",
      `Fix these fields: ${Object.keys(fieldErrors)
        .map((field) => field || "the report")
        .join(", ")}.`,
      { fieldErrors },
    );
  }
  return parsed.data;
}

/**
 * The agent's word on a version: the Deployment of (that version, this puller) becomes
 * "installed", or "failed" with the reload's last lines, finished now. Any version of the
 * puller's certificate may be reported (a late report of the previous one is still a fact).
 */
export async function recordPullReport(
  puller: AuthenticatedPuller,
  raw: unknown,
  now = new Date(),
): Promise<{ version: number; status: PullReport["status"] }> {
  const report = parsePullReport(raw);
  const version = await db.certificateVersion.findUnique({
    where: { certificateId_version: { certificateId: puller.certificate.id, version: report.version } },
    select: { id: true },
  });
  if (!version) {
    throw new AppError("invalid_input", `${puller.certificate.name} has no version ${report.version}.`, {
      fieldErrors: { version: [`No version ${report.version}`] },
    });
  }
  const error = report.status === "failed" ? report.message || "The agent reported a failure without details." : null;
  await db.deployment.upsert({
    where: { versionId_targetId: { versionId: version.id, targetId: puller.id } },
    create: { versionId: version.id, targetId: puller.id, status: report.status, attempts: 1, error, startedAt: now, finishedAt: now },
    update: { status: report.status, attempts: { increment: 1 }, error, nextAttemptAt: null, finishedAt: now },
  });
  await refreshVersionDeployStatus(version.id, now);
  return { version: report.version, status: report.status };
}
