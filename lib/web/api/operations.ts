import type { z } from "zod";
import type { ApiErrorCode } from "@/lib/web/http-error";
import {
  accountListSchema,
  certificateListSchema,
  certificateSchema,
  createCertificateBodySchema,
  createdCertificateSchema,
  deletedCertificateSchema,
  jobEventListSchema,
  getJobQuerySchema,
  jobEventsQuerySchema,
  jobSchema,
  lastEventIdHeaderSchema,
  listCertificatesQuerySchema,
  queuedJobSchema,
  renewJobSchema,
  renewQuerySchema,
  revokeCertificateBodySchema,
  uploadCertificateBodySchema,
  uploadedCertificateSchema,
} from "@/lib/web/api/schemas";
import { DEPLOY_TARGET_OPERATIONS } from "@/lib/web/api/deploy-target-operations";
import { ENDPOINT_OPERATIONS } from "@/lib/web/api/endpoint-operations";

/**
 * Every REST API operation, once: method, path, parameters, body, success response and the
 * errors it can answer with. The route handlers under app/api/v1/ are built from these entries
 * (lib/web/api/api-route.ts), the OpenAPI document is generated from them (lib/web/api/openapi.ts), and
 * test/rest-api.test.ts checks that each one is exported by the route file its path names. The
 * endpoints' and deploy targets' entries are in their own tables below.
 */
/** What an {id} in a path can name. */
export type ApiResource = "certificate" | "job" | "endpoint" | "deploy target";

export interface ApiOperation {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Below /api/v1, OpenAPI style: "/certificates/{id}". The only path parameter used is {id}. */
  path: string;
  summary: string;
  description?: string;
  tag: "Certificates" | "Jobs" | "Accounts" | "Endpoints" | "Deploy targets" | "Meta";
  /** What {id} names, for the 404 answer to an id that cannot exist. */
  resource?: ApiResource;
  query?: z.ZodObject;
  /** Request headers the operation reads (beyond Authorization), by name. */
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  body?: z.ZodType;
  success: {
    status: 200 | 201 | 202;
    description: string;
    /** A JSON body described by this schema, or text of `mediaType`. */
    schema?: z.ZodType;
    mediaType?: string;
    /** Also answers as text/event-stream (to Accept: text/event-stream); the operation's description says what it sends. */
    eventStream?: boolean;
  };
  /** Other success statuses with the same body (renewCertificate: 200 for a reused renewal). */
  alternateStatuses?: Array<200 | 201 | 202>;
  /** Errors beyond the ones every operation of its kind can give (see openapi.ts). */
  errors?: ApiErrorCode[];
}

export const API_OPERATIONS = {
  listCertificates: {
    method: "GET",
    path: "/certificates",
    summary: "List certificates",
    description: "Sorted by expiry (never-issued ones first), then name. Filters combine.",
    tag: "Certificates",
    query: listCertificatesQuerySchema,
    success: { status: 200, description: "One page of certificates.", schema: certificateListSchema },
  },
  createCertificate: {
    method: "POST",
    path: "/certificates",
    summary: "Add a certificate and queue its first issuance",
    description:
      "Validated exactly as the dashboard's Add certificate form. The issuance runs in the job runner: follow the returned job (GET /jobs/{id}) until it succeeds, then download the chain.",
    tag: "Certificates",
    body: createCertificateBodySchema,
    success: { status: 201, description: "The certificate (status pending) and its issue job.", schema: createdCertificateSchema },
  },
  uploadCertificate: {
    method: "POST",
    path: "/certificates/upload",
    summary: "Upload a certificate issued elsewhere",
    description:
      'A certificate CertDeck did not issue, with its private key: PEM (pem, and keyPassphrase for an encrypted key) or a PFX file (pfxBase64 and password). Checked before anything is stored: the key must belong to the certificate, which must be valid now and not a CA certificate. Stored with its key encrypted, written to live/<name>/ and deployed (the returned job). CertDeck never renews it: renew it where it was issued, then upload the new one through the dashboard\'s "Upload a newer version".',
    tag: "Certificates",
    body: uploadCertificateBodySchema,
    success: { status: 201, description: "The certificate (source upload) and its deploy job.", schema: uploadedCertificateSchema },
    errors: ["conflict"],
  },
  getCertificate: {
    method: "GET",
    path: "/certificates/{id}",
    summary: "Get a certificate",
    tag: "Certificates",
    resource: "certificate",
    success: { status: 200, description: "The certificate.", schema: certificateSchema },
  },
  deleteCertificate: {
    method: "DELETE",
    path: "/certificates/{id}",
    summary: "Delete a certificate",
    description: "Its files move to deleted/<timestamp>/ (never destroyed); its versions and keys leave the database. Refused while a job works on it.",
    tag: "Certificates",
    resource: "certificate",
    success: { status: 200, description: "Deleted.", schema: deletedCertificateSchema },
    errors: ["conflict"],
  },
  renewCertificate: {
    method: "POST",
    path: "/certificates/{id}/renew",
    summary: "Queue a renewal now",
    description:
      "For a certificate that was never issued, this tries the issuance again. Safe to repeat: while a job works on the certificate the answer is 409 naming it, and for a minute after a renewal succeeded the answer is 200 with that renewal (`reused: true`, header `X-CertDeck-Reused: true`) instead of a second order; `?again=true` renews anyway.",
    tag: "Certificates",
    resource: "certificate",
    query: renewQuerySchema,
    success: {
      status: 202,
      description: "The renew job, queued (`reused: false`). 200 with `reused: true`: a renewal succeeded less than a minute ago and is answered instead.",
      schema: renewJobSchema,
    },
    alternateStatuses: [200],
    errors: ["conflict"],
  },
  dryRunCertificate: {
    method: "POST",
    path: "/certificates/{id}/dry-run",
    summary: "Queue a test renewal",
    description: "Like certbot renew --dry-run: the whole flow against the CA's staging directory with a throwaway key; the live certificate is untouched.",
    tag: "Certificates",
    resource: "certificate",
    success: { status: 202, description: "The dry-run job, queued.", schema: queuedJobSchema },
    errors: ["conflict"],
  },
  revokeCertificate: {
    method: "POST",
    path: "/certificates/{id}/revoke",
    summary: "Queue the revocation of the current version at the CA",
    tag: "Certificates",
    resource: "certificate",
    body: revokeCertificateBodySchema,
    success: { status: 202, description: "The revoke job, queued.", schema: queuedJobSchema },
    errors: ["conflict"],
  },
  downloadFullchain: {
    method: "GET",
    path: "/certificates/{id}/fullchain.pem",
    summary: "Download the current fullchain.pem",
    description: "The leaf certificate and the intermediates, PEM encoded. Never the private key.",
    tag: "Certificates",
    resource: "certificate",
    success: { status: 200, description: "fullchain.pem of the current version.", mediaType: "text/plain" },
  },
  getJob: {
    method: "GET",
    path: "/jobs/{id}",
    summary: "Get a job's status",
    description:
      "With ?wait=<seconds> this is a long poll: the answer comes as soon as the job has finished or waits for the operator (or when the time is up), so a script needs no polling loop.",
    tag: "Jobs",
    resource: "job",
    query: getJobQuerySchema,
    success: { status: 200, description: "The job.", schema: jobSchema },
  },
  listJobEvents: {
    method: "GET",
    path: "/jobs/{id}/events",
    summary: "Read a job's log, or follow it as a stream",
    description: [
      "By default the log so far, as JSON. With the header `Accept: text/event-stream` the answer is a stream of server-sent events that follows the job as it runs:",
      "",
      "- `event: log` for each log line, with `id: <event id>` and the line as JSON in `data` (the JobEvent schema), oldest first, each once;",
      '- `event: status` with `{"jobId","status"}` when the stream starts and whenever the status changes (e.g. to waiting, for the operator);',
      '- `event: end` with `{"jobId","status","error"}` once the job has succeeded or failed; the stream then closes.',
      "",
      "A comment line (`: keep-alive`) comes every 15 seconds. To resume after a dropped connection, send the id of the last event received as `Last-Event-ID` (EventSource does this by itself) or as `?after=`: the stream goes on with exactly the events after it.",
    ].join("\n"),
    tag: "Jobs",
    resource: "job",
    query: jobEventsQuerySchema,
    headers: {
      "Last-Event-ID": {
        description: "For the event stream: the id of the last log event received; the stream starts after it.",
        schema: lastEventIdHeaderSchema,
      },
    },
    success: {
      status: 200,
      description: "The job's log, oldest first (JSON), or the stream of its events (text/event-stream).",
      schema: jobEventListSchema,
      eventStream: true,
    },
  },
  listAccounts: {
    method: "GET",
    path: "/accounts",
    summary: "List ACME accounts",
    description: "To find the accountId for creating certificates. No keys or secrets.",
    tag: "Accounts",
    success: { status: 200, description: "Every ACME account.", schema: accountListSchema },
  },
  ...ENDPOINT_OPERATIONS,
  ...DEPLOY_TARGET_OPERATIONS,
  getOpenApiDocument: {
    method: "GET",
    path: "/openapi.json",
    summary: "This document",
    tag: "Meta",
    success: { status: 200, description: "The OpenAPI 3.1 document of this API." },
  },
} as const satisfies Record<string, ApiOperation>;

export type ApiOperationId = keyof typeof API_OPERATIONS;
