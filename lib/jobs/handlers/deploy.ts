import { z } from "zod";
import { db } from "@/lib/data/client";
import { deployVersion } from "@/lib/domain/deploy/deploy-version";
import { isFailedStatus } from "@/lib/domain/deploy/targets/deployment-status";
import { AppError } from "@/lib/core/app-error";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { defineJob } from "@/lib/jobs/handlers/define-job";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";

/**
 * Deploys a certificate's current version: the deploy hook and every deploy target inside its
 * maintenance window (the scheduler queues this when the window opens, for what is not deployed
 * yet), or on demand ("Deploy now", for the whole version or one target, ignoring the window), or
 * again for targets whose transient failure is due for a retry (keeping to the window).
 */
export const deployJob = defineJob({
  type: "deploy",
  options: JOB_OPTION_SCHEMAS.deploy,
  state: z.object({}),

  async run({ job, log, options }) {
    if (!job.certificateId) throw new Error(`job ${job.id} has no certificate`);
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: job.certificateId },
      select: { id: true, name: true, currentVersion: { select: { id: true, version: true } } },
    });
    const version = certificate.currentVersion;
    if (!version) throw new AppError("not_found", "This certificate has no issued version to deploy yet.");
    const outcome = await deployVersion({
      certificateId: certificate.id,
      versionId: version.id,
      log,
      ignoreWindow: !options.isRetry,
      isRetry: options.isRetry,
      targetIds: options.targetIds,
      unfinishedOnly: options.unfinishedOnly,
    });
    if (options.targetIds) {
      // "Deploy now" on a target (or its retry): judged by that target alone.
      const ran = (outcome.deployments ?? []).filter((deployment) => options.targetIds?.includes(deployment.targetId));
      const failed = ran.filter((deployment) => isFailedStatus(deployment.status));
      if (failed.length > 0) {
        throw new AppError(
          "deploy_failed",
          `Version ${version.version} was not deployed to ${failed.map((deployment) => `${deployment.targetName}: ${deployment.error ?? deployment.status}`).join(" · ")}`,
        );
      }
      if (ran.length === 0) return `Version ${version.version}: ${certificate.name} does not deploy to that target any more`;
      return `Version ${version.version}: ${ran.map((deployment) => `${deployment.targetName} ${deployment.status}`).join(", ")}`;
    }
    switch (outcome.status) {
      case "deploy-failed":
        throw new AppError("deploy_failed", `Version ${version.version} is issued, not deployed: ${outcome.reason}`);
      case "waiting-window":
        return `Version ${version.version} waits for the maintenance window (${formatDateTime(outcome.windowOpensAt, displayTimeZone())})`;
      case "pending":
        return `Version ${version.version} deployed where CertDeck deploys it; ${outcome.deployments
          .filter((deployment) => deployment.status === "pending")
          .map((deployment) => deployment.targetName)
          .join(", ")} still to fetch it`;
      case "deployed":
        return `Version ${version.version} deployed`;
    }
  },
  async onFailure() {
    // The version's deployStatus and deployError, and each Deployment, already say what happened.
  },
});
