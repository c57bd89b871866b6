import { z } from "zod";
import { API_ERROR_STATUS, type ApiErrorCode } from "@/lib/web/http-error";
import { API_OPERATIONS, type ApiOperation } from "@/lib/web/api/operations";
import { errorSchema, resourceIdSchema } from "@/lib/web/api/schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the operation table (lib/web/api/operations.ts)
 * and its zod schemas: nothing here is written twice. Schemas named with `.meta({ id })` become
 * components/schemas entries referenced by $ref.
 */
type JsonObject = Record<string, unknown>;

const ERROR_RESPONSES: Record<Exclude<ApiErrorCode, "internal_error">, { name: string; description: string }> = {
  invalid_request: { name: "BadRequest", description: "Bad query parameters, or a body that is not JSON." },
  unauthorized: { name: "Unauthorized", description: "No token, or a revoked or mistyped one." },
  forbidden: { name: "Forbidden", description: "The token is read-only: only GET operations are allowed." },
  not_found: { name: "NotFound", description: "No such certificate, job, endpoint or deploy target (or nothing issued yet, for downloads)." },
  conflict: { name: "Conflict", description: "Another job is working on the certificate, or its state does not allow this (e.g. already revoked)." },
  unsupported_media_type: { name: "UnsupportedMediaType", description: "The body must be sent as Content-Type: application/json." },
  validation_failed: { name: "ValidationFailed", description: "The body was refused, with the problems per field in error.fields. Nothing was stored." },
  payload_too_large: { name: "PayloadTooLarge", description: "The body is larger than 1 MB." },
  too_many_requests: {
    name: "TooManyRequests",
    description: "Too many attempts, or CertDeck's guard holds back an order to stay inside the CA's rate limits; Retry-After says when to try again.",
  },
  upstream_failed: {
    name: "UpstreamFailed",
    description: "Another server (the CA, a DNS provider, a deploy target) refused or could not be reached; the message says which and why.",
  },
};

const TAGS = [
  {
    name: "Certificates",
    description: "Issue, renew, test, revoke, delete and download certificates. Slow work (talking to the CA) runs as a job: follow it under Jobs.",
  },
  { name: "Jobs", description: "Status and log of the background work queued by the operations above." },
  { name: "Accounts", description: "ACME accounts, to choose the accountId of new certificates." },
  {
    name: "Endpoints",
    description:
      "TLS endpoints CertDeck checks on a schedule: what each serves, until when, and whether it is the current version of the certificate it should serve.",
  },
  {
    name: "Deploy targets",
    description:
      "Where new versions go (nginx here, SSH hosts, commands), which ones a certificate uses, and deploying now. Never a private key or a command's text.",
  },
  { name: "Meta", description: "This document." },
];

const DESCRIPTION = `Drive CertDeck from scripts, as the dashboard does.

**Authentication**: every request carries \`Authorization: Bearer <token>\`, a token created under Settings → API tokens. Read-only tokens may use GET operations only; read-write tokens may use all of them. The dashboard's sign-in cookie does not authorize this API (so other web pages cannot call it through a signed-in browser).

**Errors** have one shape: \`{"error": {"code", "message", "fields"?}}\`. The message says what to do; \`fields\` lists problems per request field, with the dashboard's own wording. Changes are validated exactly as in the dashboard and written to the audit log as "api:<token name>".

**Slow work** (ordering from the CA, deploying) runs in the job runner: operations that start it answer 201/202 with a job. Wait for it with \`GET /jobs/{id}?wait=60\` (answers as soon as it has succeeded, failed or waits for the operator), and read \`GET /jobs/{id}/events\` for the log, or follow the log live with \`Accept: text/event-stream\`.`;

/**
 * "#/$defs/X" → "#/components/schemas/X", everywhere in a JSON Schema. Zod's long regular
 * expression for ISO timestamps is dropped: "format": "date-time" says the same to readers.
 */
function pointRefsAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents);
  if (value && typeof value === "object") {
    const isTimestamp = (value as JsonObject).format === "date-time";
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !(isTimestamp && key === "pattern"))
        .map(([key, inner]) => [
          key,
          key === "$ref" && typeof inner === "string" ? inner.replace(/^#\/\$defs\//, "#/components/schemas/") : pointRefsAtComponents(inner),
        ]),
    );
  }
  return value;
}

class SchemaCollector {
  readonly components: Record<string, JsonObject> = {};

  /** The JSON Schema of `schema` (as a request reads it, or as a response writes it); named parts move to components. */
  convert(schema: z.ZodType, io: "input" | "output"): JsonObject {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "throw" }) as JsonObject & { $defs?: Record<string, JsonObject> };
    // The document's dialect is 2020-12 already (OpenAPI 3.1's default), so $schema goes.
    const { $defs, ...rest } = json;
    delete rest.$schema;
    for (const [name, definition] of Object.entries($defs ?? {})) {
      const converted = pointRefsAtComponents(definition) as JsonObject;
      const existing = this.components[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(converted)) {
        throw new Error(`Two different schemas are named ${name} in the API (one as input, one as output?)`);
      }
      this.components[name] = converted;
    }
    return pointRefsAtComponents(rest) as JsonObject;
  }
}

function errorCodesOf(operation: ApiOperation): ApiErrorCode[] {
  const codes: ApiErrorCode[] = ["invalid_request", "unauthorized"];
  if (operation.method !== "GET") codes.push("forbidden");
  if (operation.resource) codes.push("not_found");
  if (operation.body) codes.push("unsupported_media_type", "validation_failed");
  codes.push(...(operation.errors ?? []));
  return [...new Set(codes)];
}

function parametersOf(operation: ApiOperation, schemas: SchemaCollector): JsonObject[] {
  const parameters: JsonObject[] = [];
  if (operation.resource) {
    parameters.push({
      name: "id",
      in: "path",
      required: true,
      description: `The ${operation.resource}'s id.`,
      schema: schemas.convert(resourceIdSchema, "input"),
    });
  }
  if (operation.query) {
    const query = schemas.convert(operation.query, "input") as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, { description, ...schema }] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: "query", required: query.required?.includes(name) ?? false, ...(description ? { description } : {}), schema });
    }
  }
  for (const [name, { description, schema }] of Object.entries(operation.headers ?? {})) {
    parameters.push({ name, in: "header", required: false, description, schema: schemas.convert(schema, "input") });
  }
  return parameters;
}

function operationObject(operationId: string, operation: ApiOperation, schemas: SchemaCollector): JsonObject {
  const { success } = operation;
  const content = success.mediaType
    ? { [success.mediaType]: { schema: { type: "string" } } }
    : {
        "application/json": { schema: success.schema ? schemas.convert(success.schema, "output") : { type: "object" } },
        ...(success.eventStream
          ? { "text/event-stream": { schema: { type: "string", description: "Server-sent events, as the operation's description says." } } }
          : {}),
      };
  const responses: JsonObject = { [String(success.status)]: { description: success.description, content } };
  for (const status of operation.alternateStatuses ?? []) responses[String(status)] = { description: success.description, content };
  for (const code of errorCodesOf(operation)) {
    if (code === "internal_error") continue;
    responses[String(API_ERROR_STATUS[code])] = { $ref: `#/components/responses/${ERROR_RESPONSES[code].name}` };
  }
  const parameters = parametersOf(operation, schemas);
  return {
    operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: schemas.convert(operation.body, "input") } } } } : {}),
    responses,
    // OpenAPI 3.1 lets non-OAuth schemes name the roles an operation needs.
    ...(operation.method === "GET" ? {} : { security: [{ bearerAuth: ["write"] }] }),
  };
}

export function buildOpenApiDocument(): JsonObject {
  const schemas = new SchemaCollector();
  const paths: Record<string, JsonObject> = {};
  for (const [operationId, operation] of Object.entries(API_OPERATIONS) as Array<[string, ApiOperation]>) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operationId, operation, schemas);
  }
  const errorBody = schemas.convert(errorSchema, "output");
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [name, { description, content: { "application/json": { schema: errorBody } } }]),
  );
  return {
    openapi: "3.1.0",
    info: { title: "CertDeck API", version: "1", description: DESCRIPTION },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (cdk_…) from Settings → API tokens." },
      },
      schemas: schemas.components,
      responses,
    },
  };
}

let cachedDocument: JsonObject | undefined;

/** The document, built once per process (it only changes with the code). */
export function openApiDocument(): JsonObject {
  cachedDocument ??= buildOpenApiDocument();
  return cachedDocument;
}
