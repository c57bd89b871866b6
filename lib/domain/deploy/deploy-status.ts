import { z } from "zod";

/**
 * Where a certificate version stands with its deploy hook: pending (stored, not deployed yet),
 * deployed, waiting-window (issued, waiting for the maintenance window) or deploy-failed. The
 * one list: queries parse the stored value with deployStatusSchema, the REST API's schemas use it.
 */
export const DEPLOY_STATUSES = ["pending", "deployed", "waiting-window", "deploy-failed"] as const;
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

/** A CertificateVersion row's `deployStatus` as read from the database. */
export const deployStatusSchema = z.enum(DEPLOY_STATUSES);
