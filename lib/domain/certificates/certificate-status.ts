import { z } from "zod";

/**
 * A certificate's status: pending (never issued yet), issuing, valid, failed (the last issuance
 * or renewal failed). The one list: queries parse the stored value with certificateStatusSchema,
 * the REST API's schemas and the metrics use it.
 */
export const CERTIFICATE_STATUSES = ["pending", "issuing", "valid", "failed"] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** A Certificate row's `status` as read from the database. */
export const certificateStatusSchema = z.enum(CERTIFICATE_STATUSES);
