import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { lineageDirectoryName, writeLineageVersion } from "@/lib/protocol/lineage/lineage-files";
import { LAB_NAME_OPTIONS, normalizeName, type Identifier } from "@/lib/protocol/names/names";
import { openPfx } from "@/lib/protocol/x509/pfx";
import { readUploadedPem, UploadProblem, type UploadedCertificate, type UploadField } from "@/lib/protocol/x509/uploaded-certificate";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { ACTIVE_JOB_STATUSES, jobTypeLabel } from "@/lib/data/queue/job-types";
import { enqueueCertificateJob } from "@/lib/data/queue/queue";
import { logJobEvent } from "@/lib/data/queue/job-log";
import { parseStoredIdentifiers, serializeIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { storeCertificateVersion } from "@/lib/domain/certificates/store-version";
import { certificateOrNotFound } from "@/lib/domain/certificates/certificate-job";
import { defineCommand, type CommandContext } from "@/lib/domain/command/define-command";
import { replaceUploadedCertificateInputSchema, uploadCertificateInputSchema, type UploadSource } from "@/lib/domain/certificates/upload.validation";

/**
 * Certificates CertDeck did not issue (issue #12): uploaded as PEM or PFX, stored with their key
 * encrypted and written to live/<name>/ like any other, deployed to the certificate's targets,
 * watched for expiry, never renewed (CertDeck holds no ACME account for them). A newer upload
 * replaces the current version. Both commands are audited as "certificate.upload"; they take
 * secret material in, so "write" is enough (only handing a key out needs "secret").
 */

export interface UploadedCertificateResult {
  certificateId: string;
  name: string;
  version: number;
  notAfter: Date;
  /** The deploy job queued for the new version. */
  jobId: string;
  /** What was left out or changed (a root dropped, names added …), in plain words. */
  notices: string[];
}

/** Adds a certificate issued elsewhere, as version 1, and queues its deploy. */
export const uploadCertificate = defineCommand(
  { name: "certificate.upload", permission: "write", does: "upload certificates", input: uploadCertificateInputSchema },
  async (input, context): Promise<UploadedCertificateResult> => {
    const upload = await readUpload(input);
    const field = sourceField(input);
    const name = upload.identifiers[0].value;
    const existing = await db.certificate.findUnique({ where: { name }, select: { source: true } });
    if (existing) throw nameTaken(name, existing.source, field);
    // Files another program left in CertDeck's tree must not be overwritten by version 1.
    const archiveDir = path.join(/*turbopackIgnore: true*/ certificatesDir(), "archive", lineageDirectoryName(name));
    if (
      await stat(archiveDir).then(
        () => true,
        () => false,
      )
    ) {
      throw new AppError(
        "conflict",
        `${archiveDir} already exists, but CertDeck has no certificate named ${name}: move that directory away, then upload again.`,
      );
    }

    let stored: { certificateId: string; version: number };
    try {
      stored = await db.$transaction(async (tx) => {
        const certificate = await tx.certificate.create({
          data: {
            name,
            identifiers: serializeIdentifiers(upload.identifiers),
            keyType: upload.keyType,
            challengeMethod: "none",
            source: "upload",
            accountId: null,
            status: "valid",
          },
          select: { id: true },
        });
        const version = await storeCertificateVersion(tx, certificate.id, upload.chainPem, upload.privateKeyPem);
        return { certificateId: certificate.id, version: version.version };
      });
    } catch (error) {
      // Another upload (or Add) of the same name committed first.
      if (isUniqueViolation(error)) throw nameTaken(name, "upload", field);
      throw error;
    }

    try {
      await writeLineageVersion(certificatesDir(), name, { version: stored.version, chainPem: upload.chainPem, privateKeyPem: upload.privateKeyPem });
    } catch (error) {
      await db.$transaction(async (tx) => {
        await tx.certificate.update({ where: { id: stored.certificateId }, data: { currentVersionId: null } });
        await tx.certificateVersion.deleteMany({ where: { certificateId: stored.certificateId } });
        await tx.certificate.delete({ where: { id: stored.certificateId } });
      });
      throw filesNotWritten(error);
    }

    return finish(context, { certificateId: stored.certificateId, name, version: stored.version, upload, notices: upload.notices, detail: {} });
  },
);

/**
 * "Upload a newer version" of an uploaded certificate: version N+1, written to archive/ with
 * live/ pointing at it, then deployed. Refused when the upload is not newer than the current
 * version (it must expire later) or does not cover the certificate's name (that is another
 * certificate: upload it as one). Other names may come and go; the result says which did.
 */
export const replaceUploadedCertificate = defineCommand(
  { name: "certificate.upload", permission: "write", does: "upload certificates", input: replaceUploadedCertificateInputSchema },
  async ({ id, ...input }, context): Promise<UploadedCertificateResult> => {
    const certificate = await certificateOrNotFound(id, {
      id: true,
      name: true,
      source: true,
      identifiers: true,
      keyType: true,
      notAfter: true,
      currentVersion: { select: { id: true, version: true, notAfter: true, fingerprintSha256: true } },
      jobs: { where: { status: { in: ACTIVE_JOB_STATUSES } }, select: { type: true, status: true }, take: 1 },
    });
    if (certificate.source !== "upload") {
      throw new AppError("conflict", `${certificate.name} is issued by CertDeck through ACME and renewed by it: renew it instead of uploading a version.`);
    }
    const active = certificate.jobs[0];
    if (active) {
      throw new AppError(
        "conflict",
        `A ${jobTypeLabel(active.type).toLowerCase()} job (${active.status}) is working on ${certificate.name}. Upload the new version when it has finished.`,
      );
    }
    const upload = await readUpload(input);
    const field = sourceField(input);
    const current = certificate.currentVersion;
    const newNames = upload.identifiers.map((identifier) => identifier.value);
    if (!newNames.includes(certificate.name)) {
      throw fieldProblem(field, `This certificate is for ${newNames.join(", ")}, not for ${certificate.name}: upload it as a new certificate instead.`);
    }
    if (current) {
      if (current.fingerprintSha256 === upload.facts.fingerprintSha256)
        throw fieldProblem(field, `This is version ${current.version} of ${certificate.name} already.`);
      if (upload.facts.notAfter.getTime() <= current.notAfter.getTime()) {
        throw fieldProblem(
          field,
          `It is not newer than version ${current.version}: it expires on ${formatDateTime(upload.facts.notAfter, displayTimeZone())}, version ${current.version} on ${formatDateTime(current.notAfter, displayTimeZone())}. Upload the renewed certificate.`,
        );
      }
    }

    const oldNames = parseStoredIdentifiers(certificate.identifiers).map((identifier) => identifier.value);
    const added = newNames.filter((name) => !oldNames.includes(name));
    const removed = oldNames.filter((name) => !newNames.includes(name));
    const notices = [...upload.notices];
    if (added.length > 0) notices.push(`Names added: ${added.join(", ")}.`);
    if (removed.length > 0) notices.push(`Names no longer covered: ${removed.join(", ")}. Services that answer for them need another certificate.`);

    const version = await db.$transaction(async (tx) => {
      await tx.certificate.update({ where: { id }, data: { identifiers: serializeIdentifiers(upload.identifiers), keyType: upload.keyType } });
      return storeCertificateVersion(tx, id, upload.chainPem, upload.privateKeyPem);
    });

    try {
      await writeLineageVersion(certificatesDir(), certificate.name, {
        version: version.version,
        chainPem: upload.chainPem,
        privateKeyPem: upload.privateKeyPem,
      });
    } catch (error) {
      // Back to the version that was current: the database says what live/ still serves.
      await db.$transaction(async (tx) => {
        await tx.certificate.update({
          where: { id },
          data: { currentVersionId: current?.id ?? null, notAfter: certificate.notAfter, identifiers: certificate.identifiers, keyType: certificate.keyType },
        });
        await tx.certificateVersion.delete({ where: { id: version.versionId } });
      });
      throw filesNotWritten(error);
    }

    return finish(context, {
      certificateId: id,
      name: certificate.name,
      version: version.version,
      upload,
      notices,
      detail: { replaced: current?.version ?? null, ...(added.length > 0 ? { added } : {}), ...(removed.length > 0 ? { removed } : {}) },
    });
  },
);

interface ReadUpload extends UploadedCertificate {
  identifiers: Identifier[];
  from: "pem" | "pfx";
}

/** The upload read and checked (lib/protocol/x509/uploaded-certificate.ts), or AppError("invalid_input") on its field. */
async function readUpload(input: UploadSource): Promise<ReadUpload> {
  const formatDate = (date: Date) => formatDateTime(date, displayTimeZone());
  const from = sourceField(input) === "pfxBase64" ? "pfx" : "pem";
  let read: UploadedCertificate;
  try {
    if (from === "pfx") {
      const opened = await openPfx(Buffer.from(input.pfxBase64!.replace(/\s+/g, ""), "base64"), input.password ?? "");
      if (!opened.ok) {
        switch (opened.problem) {
          case "wrong-password":
            throw new UploadProblem("password", "The PFX password is wrong.");
          case "unsupported":
            console.warn(`[certdeck] openssl could not read an uploaded PFX: ${opened.detail}`);
            throw new UploadProblem(
              "pfxBase64",
              "This PFX is protected with an algorithm this server's OpenSSL cannot read: export it again with AES-256 (or as PEM files).",
            );
          default:
            throw new UploadProblem("pfxBase64", "Not a PFX file: OpenSSL could not read it as PKCS#12. Choose the .pfx or .p12 file, or paste PEM instead.");
        }
      }
      read = readUploadedPem(opened.pem, { from: "pfx", formatDate });
    } else {
      read = readUploadedPem(input.pem ?? "", { passphrase: input.keyPassphrase || undefined, formatDate });
    }
  } catch (error) {
    if (error instanceof UploadProblem) throw fieldProblem(error.field, error.message);
    throw error;
  }

  const identifiers: Identifier[] = [];
  const problems: string[] = [];
  for (const raw of read.names) {
    const normalized = normalizeName(raw, LAB_NAME_OPTIONS);
    if (!normalized.ok) problems.push(normalized.error);
    else if (!identifiers.some((identifier) => identifier.value === normalized.identifier.value)) identifiers.push(normalized.identifier);
  }
  if (problems.length > 0) {
    throw fieldProblem(from === "pfx" ? "pfxBase64" : "pem", `The certificate holds a name CertDeck cannot manage: ${problems.join("; ")}.`);
  }
  return { ...read, identifiers, from };
}

function sourceField(input: UploadSource): "pem" | "pfxBase64" {
  return input.pfxBase64?.trim() ? "pfxBase64" : "pem";
}

function fieldProblem(field: UploadField, message: string): AppError {
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return new AppError("invalid_input", sentence, { fieldErrors: { [field]: [sentence] } });
}

function nameTaken(name: string, source: string, field: UploadField): AppError {
  const message =
    source === "upload"
      ? `${name} is uploaded already: open it and choose "Upload a newer version".`
      : `CertDeck already issues ${name} through ACME and renews it by itself.`;
  return new AppError("conflict", message, { fieldErrors: { [field]: [message] } });
}

function filesNotWritten(error: unknown): AppError {
  return new AppError(
    "filesystem",
    `The certificate was not stored: its files could not be written under ${certificatesDir()} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    {
      cause: error,
    },
  );
}

/** Queues the deploy of the stored version (its targets, its deploy hook) and writes the audit entry. */
async function finish(
  context: CommandContext,
  stored: { certificateId: string; name: string; version: number; upload: ReadUpload; notices: string[]; detail: Record<string, unknown> },
): Promise<UploadedCertificateResult> {
  const { upload } = stored;
  const { jobId } = await enqueueCertificateJob(stored.certificateId, "deploy", { reason: `version ${stored.version} uploaded` });
  // The certificate's job log is where its page shows what the upload left out or changed.
  for (const notice of stored.notices) await logJobEvent(jobId, "upload", notice, { level: "warn" });
  await context.audit({
    target: stored.name,
    detail: {
      version: stored.version,
      from: upload.from,
      names: upload.identifiers.map((identifier) => identifier.value),
      serial: upload.facts.serial,
      issuer: upload.facts.issuer,
      notAfter: upload.facts.notAfter.toISOString(),
      ...stored.detail,
    },
  });
  return { certificateId: stored.certificateId, name: stored.name, version: stored.version, notAfter: upload.facts.notAfter, jobId, notices: stored.notices };
}
