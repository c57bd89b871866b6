import { z } from "zod";
import { REVOCATION_REASON_IDS, REVOCATION_REASONS } from "@/lib/protocol/acme/revocation-reasons";
import { API_ERROR_STATUS } from "@/lib/web/http-error";
import { JOB_STATUSES, JOB_TYPES } from "@/lib/data/queue/job-types";
import { JOB_EVENT_LEVELS } from "@/lib/data/queue/job-log";
import { CERTIFICATE_STATUSES } from "@/lib/domain/certificates/certificate-status";
import { CERTIFICATE_SOURCES } from "@/lib/domain/certificates/certificate-source";
import { DEPLOY_STATUSES } from "@/lib/domain/deploy/deploy-status";
import { createCertificateInputSchema } from "@/lib/domain/certificates/certificate.validation";
import { uploadCertificateInputSchema } from "@/lib/domain/certificates/upload.validation";
import { keysOf } from "@/lib/core/keys-of";

/**
 * The REST API's request and response shapes. The route handlers parse requests with them, the
 * OpenAPI document (lib/web/api/openapi.ts) is generated from them, and the integration test checks
 * real responses against them, so the three cannot drift apart. Names given with `.meta({ id })`
 * become components/schemas entries.
 */

export const oneOf = (values: readonly string[]) => `Use one of: ${values.join(", ")}`;
export const timestamp = () => z.iso.datetime({ offset: false });

// ---- path and query parameters ----------------------------------------------------------------

/** Certificate and job ids (cuid). */
export const resourceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/i);

const integerParameter = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/** "true" or "false" in the query string, as a boolean. */
export const booleanParameter = (name: string) =>
  z.enum(["true", "false"], { error: `Give ${name} as "true" or "false"` }).transform((value) => value === "true");

export const MAX_PAGE_SIZE = 500;

export const listCertificatesQuerySchema = z.strictObject({
  status: z
    .enum(CERTIFICATE_STATUSES, { error: oneOf(CERTIFICATE_STATUSES) })
    .optional()
    .meta({ description: "Only certificates in this state: pending (never issued yet), issuing, valid, failed (the last issuance or renewal failed)." }),
  expiringWithinDays: integerParameter("expiringWithinDays", 0, 3650).optional().meta({
    description:
      "Only issued certificates whose current version expires within this many days from now. Already expired ones are included: they need attention first.",
  }),
  page: integerParameter("page", 1, 1_000_000).default(1).meta({ description: "Page number, from 1." }),
  pageSize: integerParameter("pageSize", 1, MAX_PAGE_SIZE)
    .default(100)
    .meta({ description: `Certificates per page (at most ${MAX_PAGE_SIZE}).` }),
});

export const jobEventsQuerySchema = z.strictObject({
  after: integerParameter("after", 0, Number.MAX_SAFE_INTEGER).optional().meta({
    description:
      "Only events with an id greater than this, to follow a running job's log without reading it again. For the event stream, a Last-Event-ID header takes precedence.",
  }),
});

export const MAX_JOB_WAIT_SECONDS = 60;

export const getJobQuerySchema = z.strictObject({
  wait: integerParameter("wait", 0, MAX_JOB_WAIT_SECONDS)
    .optional()
    .meta({
      description: `Long poll: answer as soon as the job has finished (succeeded or failed) or waits for the operator, or after this many seconds (at most ${MAX_JOB_WAIT_SECONDS}) with the job as it is then. Without it, the answer comes at once.`,
    }),
});

/** The Last-Event-ID request header: the id of the last log event received, to resume a stream. */
export const lastEventIdHeaderSchema = z.string().regex(/^\d{1,15}$/, "Last-Event-ID must be a log event id (a whole number)");

// ---- request bodies ---------------------------------------------------------------------------

/**
 * The body of POST /certificates is the createCertificate command's own input schema (field
 * descriptions included), so the API and the dashboard's Add form are judged by one schema.
 */
export const createCertificateBodySchema = createCertificateInputSchema.meta({ id: "CreateCertificateRequest" });

/** The body of POST /certificates/upload is the uploadCertificate command's own input schema. */
export const uploadCertificateBodySchema = uploadCertificateInputSchema;

export const revokeCertificateBodySchema = z
  .strictObject({
    reason: z.enum(REVOCATION_REASON_IDS, { error: oneOf(REVOCATION_REASON_IDS) }).meta({
      description: Object.entries(REVOCATION_REASONS)
        .map(([id, { label }]) => `${id}: ${label}`)
        .join("; "),
    }),
  })
  .meta({ id: "RevokeCertificateRequest" });

// ---- responses --------------------------------------------------------------------------------

export const jobSchema = z
  .object({
    id: z.string(),
    type: z.enum(JOB_TYPES),
    status: z.enum(JOB_STATUSES).meta({ description: "queued, running, waiting (for the operator, e.g. a manual DNS record), succeeded, failed." }),
    certificateId: z.string().nullable(),
    accountId: z.string().nullable(),
    attempts: z.number().int(),
    error: z.string().nullable().meta({ description: "Why the job failed, in plain words; null unless it failed." }),
    createdAt: timestamp(),
    runAfter: timestamp().meta({ description: "When a queued job may start (later than createdAt while it backs off after a failure)." }),
    startedAt: timestamp().nullable(),
    finishedAt: timestamp().nullable(),
  })
  .meta({ id: "Job" });

export const jobEventSchema = z
  .object({
    id: z.number().int(),
    at: timestamp(),
    level: z.enum(JOB_EVENT_LEVELS),
    step: z.string(),
    message: z.string(),
    detail: z.string().nullable().meta({ description: "Raw material for the step, such as the CA's problem document (JSON text)." }),
  })
  .meta({ id: "JobEvent" });

const certificateVersionSchema = z
  .object({
    version: z.number().int().meta({ description: "1 for the first issuance, +1 per renewal (as certbot's archive/<name>/cert<N>.pem)." }),
    serial: z.string().meta({ description: "Lower-case hex." }),
    issuer: z.string(),
    notBefore: timestamp(),
    notAfter: timestamp(),
    fingerprintSha256: z.string(),
    deployStatus: z
      .enum(DEPLOY_STATUSES)
      .meta({ description: "pending (stored, not deployed yet), deployed, waiting-window (issued, waiting for the maintenance window) or deploy-failed." }),
    revokedAt: timestamp().nullable(),
    revocationReason: z.string().nullable(),
  })
  .meta({ id: "CertificateVersion" });

export const certificateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    identifiers: z.array(z.string()),
    status: z.enum(CERTIFICATE_STATUSES),
    keyType: z.string(),
    challengeMethod: z.string(),
    source: z.enum(CERTIFICATE_SOURCES).meta({
      description:
        "acme: issued and renewed by CertDeck through its ACME account. upload: issued elsewhere and uploaded with its key; never renewed here (renew it where it was issued, then upload the new one).",
    }),
    accountId: z.string().nullable().meta({ description: "The ACME account that issues and renews it; null for an uploaded certificate." }),
    profile: z.string().nullable(),
    notAfter: timestamp().nullable().meta({ description: "Expiry of the current version; null until the first issuance." }),
    renewAfter: timestamp().nullable().meta({
      description:
        "When automatic renewal starts (ARI window, 1/3 of lifetime left, or the certificate's own setting); null before the first issuance and for an uploaded certificate.",
    }),
    lastError: z.string().nullable(),
    lastErrorCode: z.string().nullable(),
    createdAt: timestamp(),
    currentVersion: certificateVersionSchema.nullable(),
    activeJob: z
      .object({ id: z.string(), type: z.enum(JOB_TYPES), status: z.enum(JOB_STATUSES) })
      .nullable()
      .meta({ description: "The job queued or running for this certificate, if any." }),
  })
  .meta({ id: "Certificate" });
export type CertificateResource = z.output<typeof certificateSchema>;

export const certificateListSchema = z
  .object({
    certificates: z.array(certificateSchema),
    page: z.number().int(),
    pageSize: z.number().int(),
    pageCount: z.number().int(),
    total: z.number().int().meta({ description: "Certificates matching the filters, over all pages." }),
  })
  .meta({ id: "CertificateList" });

export const createdCertificateSchema = z.object({ certificate: certificateSchema, job: jobSchema }).meta({ id: "CreatedCertificate" });
export const queuedJobSchema = z.object({ job: jobSchema }).meta({ id: "QueuedJob" });
export const uploadedCertificateSchema = z
  .object({
    certificate: certificateSchema,
    job: jobSchema.meta({ description: "The deploy job queued for the uploaded version (deploy hook, deploy targets)." }),
    notices: z
      .array(z.string())
      .meta({ description: "What was left out or changed (a root certificate, a missing intermediate, names added), in plain words." }),
  })
  .meta({ id: "UploadedCertificate" });
export const renewJobSchema = z
  .object({
    job: jobSchema,
    reused: z.boolean().meta({
      description:
        "true: no new renewal was queued, because one succeeded less than a minute ago; `job` is that renewal (status 200, header X-CertDeck-Reused: true). Send again=true to renew anyway.",
    }),
  })
  .meta({ id: "RenewJob" });
export const renewQuerySchema = z.strictObject({
  again: booleanParameter("again")
    .optional()
    .meta({ description: "true: queue a renewal even though one succeeded less than a minute ago (without it, that renewal is answered instead)." }),
});
export const deletedCertificateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    filesMovedTo: z.string().nullable().meta({ description: "Where the live/ and archive/ files went (never destroyed); null when there were none." }),
  })
  .meta({ id: "DeletedCertificate" });
export const jobEventListSchema = z.object({ events: z.array(jobEventSchema) }).meta({ id: "JobEventList" });

export const accountSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    directoryUrl: z.string(),
    status: z.string().meta({ description: "pending (registration queued), valid, deactivated, revoked or failed. Only valid accounts can order." }),
  })
  .meta({ id: "Account" });
export const accountListSchema = z.object({ accounts: z.array(accountSchema) }).meta({ id: "AccountList" });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(keysOf(API_ERROR_STATUS)),
      message: z.string().meta({ description: "What went wrong and what to do, in plain words." }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Problems per request field (validation errors)." }),
    }),
  })
  .meta({ id: "Error" });
