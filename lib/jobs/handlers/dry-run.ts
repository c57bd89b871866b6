import { z } from "zod";
import { ACCOUNT_SECRETS, clientForAccount } from "@/lib/domain/accounts/account-client";
import { accountNetwork } from "@/lib/domain/network/account-network";
import { lastProblemOf } from "@/lib/protocol/acme/client";
import { fetchDirectory } from "@/lib/protocol/acme/directory";
import { orderCertificate } from "@/lib/protocol/acme/order-certificate";
import { dryRunDirectoryFor } from "@/lib/protocol/acme/presets";
import { chooseProfileForJob } from "@/lib/protocol/acme/profiles";
import { toAcmeAppError } from "@/lib/protocol/acme/problems";
import { KEY_TYPE_IDS, type KeyType } from "@/lib/protocol/x509/key-types";
import { readCertificateFacts } from "@/lib/protocol/x509/x509";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { acmeAccountOf } from "@/lib/domain/certificates/certificate-source";
import { db } from "@/lib/data/client";
import { AppError } from "@/lib/core/app-error";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { defineJob } from "@/lib/jobs/handlers/define-job";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";
import { OperatorActionNeeded } from "@/lib/protocol/acme/challenge-responder";
import { orderCallbacksFor, orderJobState, savedOrderProgress } from "@/lib/jobs/handlers/order-progress";
import { passPreflightGate, validationContextOf } from "@/lib/jobs/handlers/preflight-gate";

const dryRunState = orderJobState.extend({
  /** The directory the test runs against, chosen once (a resumed test keeps it). */
  directoryUrl: z.string().optional(),
});

/**
 * "Test renewal", like `certbot renew --dry-run`: the whole flow against the CA's staging
 * directory (the same directory for CAs without one) with a throwaway key. The certificate it
 * gets is discarded: no version, no files, no change to the live certificate or its status.
 */
export const dryRunJob = defineJob({
  type: "dry-run",
  options: JOB_OPTION_SCHEMAS["dry-run"],
  state: dryRunState,

  async run(context) {
    const { job, log } = context;
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      include: { account: { omit: ACCOUNT_SECRETS } },
    });
    const account = acmeAccountOf(certificate, "test the renewal of");
    const directoryUrl = context.state.directoryUrl ?? dryRunDirectoryFor(account.directoryUrl);
    await context.saveState({ directoryUrl });
    const isStaging = directoryUrl !== account.directoryUrl;
    await log(
      "dry-run",
      isStaging
        ? `Test renewal against the staging directory ${directoryUrl}`
        : `Test renewal against ${directoryUrl} (this CA has no separate staging directory)`,
    );
    const directory = await fetchDirectory(directoryUrl, account.caBundlePem, { network: accountNetwork(account) });
    await log("directory", `CA directory reachable: ${directoryUrl}`);
    const identifiers = parseStoredIdentifiers(certificate.identifiers);
    // The same profile a renewal would send (an IP certificate needs "shortlived" on staging too).
    const profile = chooseProfileForJob(certificate.profile, identifiers, directory);
    if (!profile.ok) throw new AppError("invalid_input", profile.error);
    if (profile.notice) await log("order", profile.notice);

    const preflight = await passPreflightGate(context, certificate.id, { save: false });
    const validation = await validationContextOf(certificate.challengeMethod, preflight);
    const client = clientForAccount(account, directoryUrl);
    const caHost = new URL(directoryUrl).host;
    try {
      if (isStaging) {
        await client.createAccount({ termsOfServiceAgreed: true, contact: account.email ? [`mailto:${account.email}`] : [] });
        await log("register", `Using the account's key on staging: ${client.getAccountUrl()}`);
      }
      const keyType = KEY_TYPE_IDS.includes(certificate.keyType as KeyType) ? (certificate.keyType as KeyType) : "ec-p256";
      const issued = await orderCertificate(
        client,
        { identifiers, keyType, profile: profile.profile, validation },
        savedOrderProgress(context.state),
        orderCallbacksFor(context, certificate),
      );
      const facts = readCertificateFacts(issued.chainPem);
      await log(
        "dry-run",
        `The CA issued a test certificate (serial ${facts.serial}, valid until ${formatDateTime(facts.notAfter, displayTimeZone())}); it was discarded. The live certificate is unchanged.`,
      );
    } catch (error) {
      // A job parked for the operator (manual DNS) is not a CA error: the runner parks it.
      if (error instanceof OperatorActionNeeded) throw error;
      throw toAcmeAppError(error, caHost, lastProblemOf(client));
    }
    await context.saveState({ privateKeyEnc: undefined });
    return "Test renewal succeeded: a real renewal would work with this configuration";
  },

  async onFailure() {
    // A failed test changes nothing on the certificate: the job log says why.
  },
});
