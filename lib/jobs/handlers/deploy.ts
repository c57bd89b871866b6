import { z } from "zod";
import { db } from "@/lib/data/client";
import { deployVersion } from "@/lib/domain/deploy/deploy-version";
import { AppError } from "@/lib/core/app-error";
import { defineJob } from "@/lib/jobs/define-job";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";
import { notifyDeployOutcome } from "@/lib/domain/renewal/renewal-notifications";

/**
 * Runs the deploy hook for a certificate's current version, inside its maintenance window (the
 * scheduler queues this when the window opens) or on demand ("Deploy now").
 */
export const deployJob = defineJob({
  type: "deploy",
  options: JOB_OPTION_SCHEMAS.deploy,
  state: z.object({}),

  async run({ job, log }) {
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      select: { id: true, name: true, currentVersion: { select: { id: true, version: true } } },
    });
    const version = certificate.currentVersion;
    if (!version) throw new AppError("not_found", "This certificate has no issued version to deploy yet.");
    const outcome = await deployVersion({ certificateId: certificate.id, versionId: version.id, log, ignoreWindow: true });
    await notifyDeployOutcome(certificate, version, outcome);
    if (outcome.status === "deploy-failed") throw new AppError("deploy_failed", `Version ${version.version} is issued, not deployed: ${outcome.reason}`);
    return `Version ${version.version} deployed`;
  },
  async onFailure() {
    // The version's deployStatus and deployError already say what happened.
  },
});
