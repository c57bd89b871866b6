import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { createFieldErrors, fieldErrorsOfZod, prototypeMemberKeysIn, UNKNOWN_FIELD_MESSAGE } from "@/lib/core/field-errors";
import { checkApiToken } from "@/lib/domain/api-tokens/authenticate";
import { apiTokenActor, type Actor } from "@/lib/domain/command/actor";
import { assertAllowed } from "@/lib/domain/command/permissions";
import { API_OPERATIONS, type ApiOperation, type ApiOperationId, type ApiResource } from "@/lib/web/api/operations";
import { resourceIdSchema } from "@/lib/web/api/schemas";
import { clientAddressOf } from "@/lib/web/client-address";
import { API_RESPONSE_HEADERS, httpErrorResponse } from "@/lib/web/http-error";
import { readBodyText } from "@/lib/web/request-body";
import { INVALID_TOKEN_MESSAGE, MISSING_TOKEN_MESSAGE } from "@/lib/web/api/missing-token";

type Operations = typeof API_OPERATIONS;

export interface ApiRequestInput<Id extends ApiOperationId> {
  request: Request;
  /** The token's actor ("api:<token name>") with the client's address. */
  actor: Actor;
  /** The {id} path parameter ("" for paths without one), already checked for shape. */
  id: string;
  query: Operations[Id] extends { query: infer Query extends z.ZodType } ? z.output<Query> : Record<string, never>;
  body: Operations[Id] extends { body: infer Body extends z.ZodType } ? z.output<Body> : undefined;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * Builds a route handler for one documented operation. In this order: the bearer token (401),
 * its scope (403: read-only tokens may only GET), the {id} shape (404), the query (400), the
 * JSON body (415/413/400/422); then `handle`, which calls a command or a query. Whatever is
 * thrown becomes the error shape through lib/web/http-error.ts.
 *
 * A session cookie does not authorize these routes: only tokens do, so a page on another site
 * cannot make a signed-in browser call them (no CSRF), and scripts never hold a user's session.
 */
export function apiRoute<Id extends ApiOperationId>(operationId: Id, handle: (input: ApiRequestInput<Id>) => Promise<Response>) {
  const operation: ApiOperation = API_OPERATIONS[operationId];
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const token = await checkApiToken(request);
      if (!token.ok) throw new AppError("unauthorized", token.reason === "missing" ? MISSING_TOKEN_MESSAGE : INVALID_TOKEN_MESSAGE);
      const actor = apiTokenActor(token.token, clientAddressOf(request.headers));
      assertAllowed(actor, operation.method === "GET" ? "read" : "write", operation.summary.toLowerCase());
      const id = await pathIdOf(operation, context);
      const query = parseQuery(operation, new URL(request.url).searchParams);
      const body = await parseBody(operation, request);
      return await handle({ request, actor, id, query, body } as ApiRequestInput<Id>);
    } catch (error) {
      return httpErrorResponse(error, `API ${operation.method} /api/v1${operation.path}`);
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

export function notFound(resource: ApiResource, id: string): AppError {
  return new AppError("not_found", `No ${resource} has the id "${id.slice(0, 64)}".`);
}

function parseQuery(operation: ApiOperation, searchParams: URLSearchParams): unknown {
  const raw = new Map<string, string>();
  for (const [key, value] of searchParams) {
    if (raw.has(key)) throw new AppError("bad_request", `Give the query parameter ${key} once.`, { fieldErrors: { [key]: ["Given more than once"] } });
    raw.set(key, value);
  }
  if (!operation.query) {
    if (raw.size > 0) throw new AppError("bad_request", `This operation takes no query parameters (got ${[...raw.keys()].join(", ")}).`);
    return {};
  }
  const parsed = operation.query.safeParse(Object.fromEntries(raw));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOfZod(parsed.error);
    throw new AppError("bad_request", `Fix the query parameters: ${Object.keys(fieldErrors).join(", ")}.`, { fieldErrors });
  }
  return parsed.data;
}

async function parseBody(operation: ApiOperation, request: Request): Promise<unknown> {
  if (!operation.body) return undefined;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new AppError("unsupported_media_type", 'Send the body as JSON with the header "Content-Type: application/json".');
  }
  const text = await readBodyText(request);
  if (!text.trim()) throw new AppError("bad_request", "The request body is empty: send a JSON object.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `The request body is not valid JSON (${(error as Error).message}).`);
  }
  const prototypeKeys = prototypeMemberKeysIn(json);
  if (prototypeKeys.length > 0) {
    const fieldErrors = createFieldErrors();
    // A "__proto__" key in the answer would be a trap for clients that copy it into an object:
    // that one is named under "body".
    for (const key of prototypeKeys) {
      if (key.split(".").includes("__proto__")) fieldErrors.add("", `${UNKNOWN_FIELD_MESSAGE}: ${key}`);
      else fieldErrors.add(key, UNKNOWN_FIELD_MESSAGE);
    }
    throw new AppError("invalid_input", `Fix these fields: ${prototypeKeys.join(", ")}.`, { fieldErrors });
  }
  const parsed = operation.body.safeParse(json);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOfZod(parsed.error);
    const fields = Object.keys(fieldErrors).map((field) => field || "body");
    throw new AppError("invalid_input", `Fix these fields: ${fields.join(", ")}.`, { fieldErrors });
  }
  return parsed.data;
}
