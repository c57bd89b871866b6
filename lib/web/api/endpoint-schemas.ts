import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { endpointInputSchema } from "@/lib/domain/endpoints/endpoint-input";
import { ENDPOINT_STATUSES } from "@/lib/domain/endpoints/endpoint-status";
import { booleanParameter, oneOf, timestamp } from "@/lib/web/api/schemas";

/**
 * The REST API's shapes for watched endpoints (see lib/web/api/schemas.ts for how they are used).
 * The bodies are the endpoint commands' own input schema (lib/domain/endpoints/endpoint-input.ts).
 */

export const listEndpointsQuerySchema = z.strictObject({
  status: z
    .enum(ENDPOINT_STATUSES, { error: oneOf(ENDPOINT_STATUSES) })
    .optional()
    .meta({ description: "Only endpoints whose last check has this status (stale: served ≠ issued; pending: not checked yet)." }),
  certificateId: idSchema.optional().meta({ description: "Only the endpoints that should serve this managed certificate." }),
  needsAttention: booleanParameter("needsAttention").optional().meta({
    description:
      "true: only the endpoints worth a look, as the overview lists them: not answering or serving a certificate clients refuse, serving one that expires soon, or not the current version of its managed certificate.",
  }),
});

export const createEndpointBodySchema = endpointInputSchema.meta({ id: "EndpointRequest" });

export const changeEndpointBodySchema = endpointInputSchema
  .partial()
  .meta({ id: "ChangeEndpointRequest", description: 'The fields to change, as in EndpointRequest; a field left out keeps its value, null or "" clears it.' });

const servedCertificateSchema = z
  .object({
    subject: z.string().meta({ description: "The subject's CN (or the whole subject when it has none)." }),
    subjectAltNames: z.array(z.string()),
    issuer: z.string(),
    serial: z.string(),
    notBefore: timestamp(),
    notAfter: timestamp(),
    fingerprintSha256: z.string(),
    isSelfIssued: z.boolean().meta({ description: "Issued by itself: a root, or a self-signed server certificate." }),
    pem: z.string(),
  })
  .meta({ id: "ServedCertificate" });

const endpointFields = {
  id: z.string(),
  address: z.string().meta({ description: '"shop.example.com:443"' }),
  host: z.string(),
  port: z.number().int(),
  serverName: z.string().nullable().meta({ description: "The name sent as SNI; null: the host, when it is a name." }),
  label: z.string().nullable(),
  title: z.string().meta({ description: 'How the dashboard names it: "label (server name at address)".' }),
  status: z.enum(ENDPOINT_STATUSES).meta({
    description:
      "The last check's finding: ok, expiring (valid, close to its end), stale (served ≠ issued: not the current version of its managed certificate), pending (not checked yet), or what is wrong (refused, timeout, expired, wrong-name, untrusted, incomplete-chain …).",
  }),
  message: z.string().nullable().meta({ description: "One sentence: what is served, or what is wrong and what to do. null until the first check." }),
  checkedAt: timestamp().nullable(),
  nextCheckAt: timestamp(),
  consecutiveFailures: z.number().int(),
  isUp: z.boolean().meta({ description: "The last check completed a TLS handshake." }),
  fingerprintSha256: z.string().nullable().meta({ description: "The served leaf's SHA-256, at the last check that completed a handshake." }),
  notBefore: timestamp().nullable(),
  notAfter: timestamp().nullable().meta({ description: "The served leaf's end." }),
  expiringFrom: timestamp().nullable().meta({ description: "From when the served certificate counts as expiring." }),
  issuer: z.string().nullable(),
  servedNames: z.array(z.string()).meta({ description: "The served leaf's names." }),
  hasCaBundle: z.boolean(),
  certificate: z
    .object({ id: z.string(), name: z.string(), currentVersion: z.number().int().nullable() })
    .nullable()
    .meta({ description: "The managed certificate it should serve, if any." }),
  servedAsIssued: z.boolean().nullable().meta({
    description:
      "For a managed certificate: whether its current version is what was last served. null: nothing to compare (no certificate, no version, nothing served yet).",
  }),
  servedVersion: z.number().int().nullable().meta({ description: "The managed certificate's version that was last served, when it is one of them." }),
  target: z
    .object({ id: z.string(), name: z.string() })
    .nullable()
    .meta({ description: "The deploy target it is watched for (then its address, server name and certificate follow the target)." }),
};

export const endpointSchema = z.object(endpointFields).meta({ id: "Endpoint" });
export const endpointDetailSchema = z
  .object({
    ...endpointFields,
    caBundlePem: z.string().nullable().meta({ description: "Roots trusted besides the system's." }),
    chain: z.array(servedCertificateSchema).meta({ description: "The chain last served, leaf first." }),
  })
  .meta({ id: "EndpointDetail" });
export const endpointListSchema = z
  .object({
    endpoints: z.array(endpointSchema).meta({
      description: "Problems first, then by soonest expiry; at most 2,000, those that are not fine read first (so a long list never leaves one out).",
    }),
    total: z.number().int().meta({ description: "How many endpoints match status and certificateId: more than listed when the list stops at 2,000." }),
  })
  .meta({ id: "EndpointList" });
export const deletedEndpointSchema = z.object({ id: z.string(), title: z.string() }).meta({ id: "DeletedEndpoint" });
