import { z } from "zod";

/**
 * Where a certificate version stands with its deploy hook and its deploy targets together
 * (lib/domain/deploy/targets/deployment-status.ts sums them up): pending (stored, not deployed
 * everywhere yet), deployed, waiting-window (issued, waiting for the maintenance window) or
 * deploy-failed. The one list: queries parse the stored value with deployStatusSchema, the REST
 * API's schemas use it.
 */
export const DEPLOY_STATUSES = ["pending", "deployed", "waiting-window", "deploy-failed"] as const;
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

/** A CertificateVersion row's `deployStatus` as read from the database. */
export const deployStatusSchema = z.enum(DEPLOY_STATUSES);
