import "server-only";
import type { z } from "zod";
import { ApiError, apiErrorResponse, API_RESPONSE_HEADERS, MISSING_TOKEN_MESSAGE, type ApiFieldErrors } from "@/lib/api/api-error";
import { isScopeAllowed, scopeNeededFor } from "@/lib/api/api-token";
import { checkApiToken, type ApiCaller } from "@/lib/api/authenticate";
import { API_OPERATIONS, type ApiOperation, type ApiOperationId } from "@/lib/api/operations";
import { resourceIdSchema } from "@/lib/api/schemas";

type Operations = typeof API_OPERATIONS;

export interface ApiRequestInput<Id extends ApiOperationId> {
  request: Request;
  caller: ApiCaller;
  /** The {id} path parameter ("" for paths without one), already checked for shape. */
  id: string;
  query: Operations[Id] extends { query: infer Query extends z.ZodType } ? z.output<Query> : Record<string, never>;
  body: Operations[Id] extends { body: infer Body extends z.ZodType } ? z.output<Body> : undefined;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * Builds a route handler for one documented operation. In this order: the bearer token (401),
 * its scope (403: read-only tokens may only GET), the {id} shape (404), the query (400), the
 * JSON body (415/400/422); then `handle`. Anything `handle` throws as ApiError becomes the error
 * shape; anything else is a bug, logged, and answered with a generic 500.
 *
 * A session cookie does not authorize these routes: only tokens do, so a page on another site
 * cannot make a signed-in browser call them (no CSRF), and scripts never hold a user's session.
 */
export function apiRoute<Id extends ApiOperationId>(operationId: Id, handle: (input: ApiRequestInput<Id>) => Promise<Response>) {
  const operation: ApiOperation = API_OPERATIONS[operationId];
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const token = await checkApiToken(request);
      if (!token.ok) {
        throw new ApiError(
          "unauthorized",
          token.reason === "missing" ? MISSING_TOKEN_MESSAGE : "This API token is not valid: it was revoked or mistyped. Create a new one under Settings → API tokens.",
        );
      }
      const { caller } = token;
      if (!isScopeAllowed(caller.scope, scopeNeededFor(operation.method))) {
        throw new ApiError(
          "forbidden",
          `The token "${caller.tokenName}" is read-only, so it cannot ${operation.summary.toLowerCase()}. Use a read-write token (Settings → API tokens).`,
        );
      }
      const id = await pathIdOf(operation, context);
      const query = parseQuery(operation, new URL(request.url).searchParams);
      const body = await parseBody(operation, request);
      return await handle({ request, caller, id, query, body } as ApiRequestInput<Id>);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorResponse(error);
      console.error(`[certdeck] API ${operation.method} /api/v1${operation.path} failed`, error);
      return apiErrorResponse(new ApiError("internal_error", "Something went wrong. The server log has the details."));
    }
  };
}

/** A JSON success response. */
export function apiJson(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...API_RESPONSE_HEADERS, ...headers } });
}

async function pathIdOf(operation: ApiOperation, context: RouteContext): Promise<string> {
  if (!operation.resource) return "";
  const raw = (await context.params).id;
  const parsed = resourceIdSchema.safeParse(raw);
  if (!parsed.success) throw notFound(operation.resource, String(raw));
  return parsed.data;
}

export function notFound(resource: "certificate" | "job", id: string): ApiError {
  return new ApiError("not_found", `No ${resource} has the id "${id.slice(0, 64)}".`);
}

function parseQuery(operation: ApiOperation, searchParams: URLSearchParams): unknown {
  const raw: Record<string, string> = {};
  for (const [key, value] of searchParams) {
    if (key in raw) throw new ApiError("invalid_request", `Give the query parameter ${key} once.`, { [key]: ["Given more than once"] });
    raw[key] = value;
  }
  if (!operation.query) {
    const unknown = Object.keys(raw);
    if (unknown.length > 0) throw new ApiError("invalid_request", `This operation takes no query parameters (got ${unknown.join(", ")}).`);
    return {};
  }
  const parsed = operation.query.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrorsOf(parsed.error);
    throw new ApiError("invalid_request", `Fix the query parameters: ${Object.keys(fields).join(", ")}.`, fields);
  }
  return parsed.data;
}

async function parseBody(operation: ApiOperation, request: Request): Promise<unknown> {
  if (!operation.body) return undefined;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the body as JSON with the header \"Content-Type: application/json\".");
  }
  const text = await request.text();
  if (!text.trim()) throw new ApiError("invalid_request", "The request body is empty: send a JSON object.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError("invalid_request", `The request body is not valid JSON (${(error as Error).message}).`);
  }
  const parsed = operation.body.safeParse(json);
  if (!parsed.success) {
    const fields = fieldErrorsOf(parsed.error);
    throw new ApiError("validation_failed", `Fix these fields: ${Object.keys(fields).join(", ")}.`, fields);
  }
  return parsed.data;
}

/**
 * Zod issues by field, with the dashboard's messages. Unknown fields are named (a typo such as
 * "challenge_method" must not be silently ignored); problems with the whole body go under "body".
 */
export function fieldErrorsOf(error: z.ZodError): ApiFieldErrors {
  const fields: ApiFieldErrors = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key].map(String).join("."), "Unknown field: see /api/v1/openapi.json for the fields this operation takes");
    } else {
      add(issue.path.length > 0 ? issue.path.map(String).join(".") : "body", issue.message);
    }
  }
  return fields;
}
