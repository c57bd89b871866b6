import { z } from "zod";
import { ACCOUNT_SECRETS, clientForAccount } from "@/lib/domain/accounts/account-client";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { lastProblemOf } from "@/lib/protocol/acme/client";
import { fetchDirectory, type AcmeDirectory } from "@/lib/protocol/acme/directory";
import { orderCertificate } from "@/lib/protocol/acme/order-certificate";
import { chooseProfileForJob } from "@/lib/protocol/acme/profiles";
import { toAcmeAppError } from "@/lib/protocol/acme/problems";
import { keyTypeOfPem } from "@/lib/protocol/x509/key-type-of";
import { KEY_TYPE_IDS, type KeyType } from "@/lib/protocol/x509/key-types";
import { lineageDirectoryName, writeLineageVersion, type LineageVersion } from "@/lib/protocol/lineage/lineage-files";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { acmeAccountOf, isUploaded } from "@/lib/domain/certificates/certificate-source";
import { storeCertificateVersion } from "@/lib/domain/certificates/store-version";
import { db } from "@/lib/data/client";
import { makeCommitsDurable } from "@/lib/data/durability";
import { deployVersion, runPostHook, runPreHook } from "@/lib/domain/deploy/deploy-version";
import { effectiveRenewalSettingsOf, type EffectiveRenewalSettings } from "@/lib/domain/deploy/effective-settings";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { AppError } from "@/lib/core/app-error";
import { formatDateTime } from "@/lib/core/dates";
import { defineJob, type JobContext, type JobFailure, type JobLog, type RunningJob } from "@/lib/jobs/handlers/define-job";
import { JOB_OPTION_SCHEMAS, type JobOptionsOf } from "@/lib/data/queue/job-types";
import { OperatorActionNeeded } from "@/lib/protocol/acme/challenge-responder";
import { failureBackoff } from "@/lib/domain/renewal/renewal-timing";
import { notifyActionNeeded, notifyRecovered, notifyRenewalFailed } from "@/lib/domain/renewal/renewal-notifications";
import { decryptSecret } from "@/lib/data/secret-box";
import { orderCallbacksFor, orderJobState, savedOrderProgress } from "@/lib/jobs/handlers/order-progress";
import { passPreflightGate, validationContextOf } from "@/lib/jobs/handlers/preflight-gate";

const issueJobState = orderJobState.extend({
  /** Set in the same transaction that stores the version: after it, only files and deploy remain. */
  storedVersion: z.number().int().positive().optional(),
});

type IssueJobContext = JobContext<"issue" | "renew", JobOptionsOf<"issue">, z.output<typeof issueJobState>>;

type CertificateWithAccount = Awaited<ReturnType<typeof loadCertificate>>;

/** The version the job stored (or found stored when it resumed), as the rest of the job needs it. */
interface IssuedVersion extends LineageVersion {
  id: string;
  notAfter: Date;
}

/** The certificate with its ACME account; AppError("conflict") for an uploaded one (never ordered here). */
async function loadCertificate(certificateId: string) {
  const certificate = await db.certificate.findUniqueOrThrow({
    where: { id: certificateId },
    include: {
      account: { omit: ACCOUNT_SECRETS },
      currentVersion: { select: { ariCertId: true, privateKeyEnc: true, revocationReason: true } },
    },
  });
  return { ...certificate, account: acmeAccountOf(certificate, "renew") };
}

/**
 * Issue and renew: pre-hook, order, answer the challenges, finalize (with a fresh key, or the current
 * one for certificates that keep their key), store the version,
 * post-hook, write the files, deploy (deploy hook and deploy targets, maybe waiting for the
 * maintenance window).
 */
export const issueCertificateJob = defineJob({
  type: ["issue", "renew"],
  options: JOB_OPTION_SCHEMAS.issue,
  state: issueJobState,

  async run(context) {
    const { job, log } = context;
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const certificate = await loadCertificate(job.certificateId);
    await db.certificate.update({ where: { id: certificate.id }, data: { status: "issuing" } });
    // Its window and hooks as they are when the job starts, for the pre-, post- and deploy hook.
    const settings = await effectiveRenewalSettingsOf(certificate);

    let version: IssuedVersion;
    if (context.state.storedVersion === undefined) {
      version = await obtainAndStore(context, certificate, settings);
    } else {
      await log("store", `Version ${context.state.storedVersion} was already stored before the restart`);
      const stored = await db.certificateVersion.findUniqueOrThrow({
        where: { certificateId_version: { certificateId: certificate.id, version: context.state.storedVersion } },
        select: { id: true, version: true, notAfter: true, chainPem: true, privateKeyEnc: true },
      });
      version = { ...stored, privateKeyPem: decryptSecret(stored.privateKeyEnc) };
    }
    try {
      await writeLineageVersion(certificatesDir(), certificate.name, version);
    } catch (error) {
      throw new AppError(
        "filesystem",
        `The certificate was issued but its files could not be written under ${certificatesDir()}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    await log("files", `Files written: live/${lineageDirectoryName(certificate.name)}/ now points at version ${version.version}`);

    const hadFailures = certificate.consecutiveFailures > 0;
    await db.certificate.update({
      where: { id: certificate.id },
      data: { status: "valid", lastError: null, lastErrorCode: null, lastErrorAt: null, consecutiveFailures: 0, retryNotBefore: null },
    });
    if (hadFailures) await notifyRecovered(certificate, version);

    // Deploy hook and deploy targets; failures are recorded on the version and notified there.
    const outcome = await deployVersion({
      certificateId: certificate.id,
      versionId: version.id,
      log,
      settings,
      // deployHookStatus is read only when deploying what is unfinished, which this run is not: it deploys the whole version.
      version: {
        id: version.id,
        version: version.version,
        deployHookStatus: null,
        certificate: { name: certificate.name, identifiers: certificate.identifiers },
      },
    });
    const validUntil = formatDateTime(version.notAfter, displayTimeZone());
    switch (outcome.status) {
      case "waiting-window":
        return `Version ${version.version} issued, valid until ${validUntil}; waiting for the deploy window (${formatDateTime(outcome.windowOpensAt, displayTimeZone())})`;
      case "deploy-failed":
        await log("done", `Version ${version.version} is issued, not deployed: ${outcome.reason}`, { level: "error" });
        return `Version ${version.version} issued, valid until ${validUntil}, but NOT deployed (see above)`;
      case "pending":
        return `Version ${version.version} issued, valid until ${validUntil}; deployed where CertDeck deploys it, ${outcome.deployments
          .filter((deployment) => deployment.status === "pending")
          .map((deployment) => deployment.targetName)
          .join(", ")} still to fetch it`;
      default:
        return `Certificate version ${version.version} is live, valid until ${validUntil}`;
    }
  },

  async onFailure({ job }, failure) {
    if (!job.certificateId) return;
    // An uploaded certificate is not failing: the job was refused before it changed anything.
    if (await isUploadedCertificate(job.certificateId)) return;
    await recordFailure(job.certificateId, job.id, failure);
  },

  async onRetry({ job }, failure) {
    if (!job.certificateId) return;
    await db.certificate.update({
      where: { id: job.certificateId },
      data: { lastError: failure.userMessage, lastErrorCode: failure.reason ?? null, lastErrorAt: new Date() },
    });
  },

  /**
   * A renewal (started by the scheduler, often while nobody looks) that waits for the operator
   * (manual DNS records) tells the notification channels. A first issuance was started from the
   * page, where the records show.
   */
  async onWaiting({ job }, waiting) {
    if (job.type !== "renew" || !job.certificateId || !waiting.notice) return;
    const certificate = await db.certificate.findUnique({ where: { id: job.certificateId }, select: { id: true, name: true } });
    if (certificate) await notifyActionNeeded(certificate, job.id, waiting.notice);
  },
});

/**
 * Everything that talks to the CA, wrapped in the certificate's pre- and post-hooks. Returns
 * the version it stored (what the job goes on with, without reading it back).
 */
async function obtainAndStore(context: IssueJobContext, certificate: CertificateWithAccount, settings: EffectiveRenewalSettings): Promise<IssuedVersion> {
  const { job, log } = context;
  const { account } = certificate;
  if (account.status !== "valid" || !account.accountUrl) {
    throw new AppError(
      "acme_problem",
      `The ACME account "${account.label}" is not registered (status: ${account.status}). Register it on the Accounts page first.`,
    );
  }
  const directory = await fetchDirectory(account.directoryUrl, account.caBundlePem, { network: accountNetwork(account) });
  await log("directory", `CA directory reachable: ${account.directoryUrl}`);
  const profile = await profileFor(certificate, directory, log);

  const preflight = await passPreflightGate(context, certificate.id, { save: true, issueAnyway: context.options.issueAnyway });
  const validation = await validationContextOf(certificate.challengeMethod, preflight);
  const preHook = await runPreHook(settings, log);
  if (preHook.status === "failed") throw new AppError("deploy_failed", `The pre-hook failed, so no order was placed: ${preHook.reason}`);
  const client = clientForAccount(account);
  try {
    const issued = await orderCertificate(
      client,
      {
        identifiers: parseStoredIdentifiers(certificate.identifiers),
        keyType: KEY_TYPE_IDS.includes(certificate.keyType as KeyType) ? (certificate.keyType as KeyType) : "ec-p256",
        replaces: replacesFor(job, certificate, directory),
        profile,
        reusePrivateKeyPem: await reusedKeyFor(job, certificate, log),
        validation,
      },
      savedOrderProgress(context.state),
      orderCallbacksFor(context, certificate, account),
    ).catch((error: unknown) => {
      // A job parked for the operator (manual DNS) is not a CA error: the runner parks it.
      if (error instanceof OperatorActionNeeded) throw error;
      throw toAcmeAppError(error, new URL(account.directoryUrl).host, lastProblemOf(client));
    });
    // Stores the version, makes it current and marks the job's state "stored" in one transaction:
    // a crash either loses nothing (the job resumes with the saved order and key) or has stored
    // everything (the job only writes the files and deploys).
    // The saved state becomes just { storedVersion }: the pending key leaves it.
    const stored = await db.$transaction(async (tx) => {
      const result = await storeCertificateVersion(tx, certificate.id, issued.chainPem, issued.privateKeyPem, { certificate });
      await context.saveState({ storedVersion: result.version }, { tx, replace: true });
      return result;
    });
    // The CA certified this key: on disk before the files and deploy.
    await makeCommitsDurable();
    await log(
      "store",
      `Stored version ${stored.version}: serial ${stored.facts.serial}, valid until ${formatDateTime(stored.facts.notAfter, displayTimeZone())}`,
    );
    return { id: stored.versionId, version: stored.version, notAfter: stored.facts.notAfter, chainPem: issued.chainPem, privateKeyPem: issued.privateKeyPem };
  } finally {
    // certbot runs the post-hook after every attempt; its failure is logged by runPostHook.
    await runPostHook(settings, log);
  }
}

/** RFC 9773: a renewal names the certificate it replaces, when the CA offers ARI. */
function replacesFor(job: RunningJob, certificate: CertificateWithAccount, directory: AcmeDirectory): string | undefined {
  if (job.type !== "renew" || !directory.renewalInfo) return undefined;
  return certificate.currentVersion?.ariCertId ?? undefined;
}

/**
 * "Keep the same key on renewal" (for pinning setups): the current version's key, for renewals of
 * such certificates. A fresh key instead when the current one was revoked as compromised (CAs
 * refuse such keys) or is not of the certificate's key type any more; later renewals keep that one.
 */
async function reusedKeyFor(job: RunningJob, certificate: CertificateWithAccount, log: JobLog): Promise<string | undefined> {
  const current = certificate.currentVersion;
  if (job.type !== "renew" || !certificate.reuseKey || !current) return undefined;
  if (current.revocationReason === "keyCompromise") {
    await log("key", "The current key was revoked as compromised: this renewal uses a fresh key, and later renewals keep that one", { level: "warn" });
    return undefined;
  }
  const privateKeyPem = decryptSecret(current.privateKeyEnc);
  const currentType = keyTypeOfPem(privateKeyPem);
  if (currentType !== certificate.keyType) {
    await log(
      "key",
      `The current key is ${currentType ?? "of another type"}, the certificate asks for ${certificate.keyType}: this renewal uses a fresh key, and later renewals keep that one`,
      {
        level: "warn",
      },
    );
    return undefined;
  }
  return privateKeyPem;
}

/** The profile for newOrder (lib/protocol/acme/profiles.ts): refused here, before the pre-hook and any order. */
async function profileFor(certificate: CertificateWithAccount, directory: AcmeDirectory, log: JobLog): Promise<string | undefined> {
  const choice = chooseProfileForJob(certificate.profile, parseStoredIdentifiers(certificate.identifiers), directory);
  if (!choice.ok) throw new AppError("invalid_input", choice.error);
  if (choice.notice) await log("order", choice.notice);
  return choice.profile;
}

async function isUploadedCertificate(certificateId: string): Promise<boolean> {
  const certificate = await db.certificate.findUnique({ where: { id: certificateId }, select: { source: true } });
  return certificate !== null && isUploaded(certificate);
}

/**
 * A failed issue or renewal: the certificate shows the reason, automatic retries back off
 * (1 h, 2 h, 4 h ... 24 h) and the operator is notified.
 */
async function recordFailure(certificateId: string, jobId: string, { userMessage, reason }: JobFailure): Promise<void> {
  const now = new Date();
  const certificate = await db.certificate.update({
    where: { id: certificateId },
    data: { status: "failed", lastError: userMessage, lastErrorCode: reason ?? null, lastErrorAt: now, consecutiveFailures: { increment: 1 } },
    select: { id: true, name: true, consecutiveFailures: true },
  });
  await db.certificate.update({
    where: { id: certificate.id },
    data: { retryNotBefore: failureBackoff(certificate.consecutiveFailures, now) },
  });
  await notifyRenewalFailed(certificate, jobId, userMessage);
}
