/**
 * The REST API tests' way in: a documented operation (lib/web/api/operations.ts) called through
 * the route file its path names, and its answers checked against what the OpenAPI document
 * publishes for it (the success schema, or the one error shape).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import { callRoute, type RouteCall, type RouteModule } from "./route-call";

type Operations = typeof import("../../lib/web/api/operations").API_OPERATIONS;
export type OperationId = keyof Operations;

export const APP_API_DIR = path.resolve("app/api/v1");

/** "/certificates/{id}/fullchain.pem" → app/api/v1/certificates/[id]/fullchain.pem/route.ts */
export const routeFileOf = (openApiPath: string) =>
  path.join(
    APP_API_DIR,
    ...openApiPath
      .split("/")
      .filter(Boolean)
      .map((segment) => segment.replace(/^\{(.+)\}$/, "[$1]")),
    "route.ts",
  );

export async function importRoute(openApiPath: string): Promise<RouteModule> {
  return (await import(pathToFileURL(routeFileOf(openApiPath)).href)) as RouteModule;
}

/** Imported when first called: the modules read the environment the test sets up first. */
async function operationOf(operationId: OperationId) {
  return (await import("../../lib/web/api/operations")).API_OPERATIONS[operationId];
}

/** Calls the documented operation through its route file. */
export async function callOperation(operationId: OperationId, call: RouteCall & { query?: string } = {}): Promise<Response> {
  const operation = await operationOf(operationId);
  const route = await importRoute(operation.path);
  const urlPath = `/api/v1${operation.path.replace("{id}", call.params?.id ?? "")}${call.query ? `?${call.query}` : ""}`;
  return callRoute(route, operation.method, urlPath, call);
}

/** The JSON body, after checking it is exactly what the document says this operation answers. */
export async function documentedJson<T = Record<string, unknown>>(operationId: OperationId, response: Response, status: number): Promise<T> {
  const operation = await operationOf(operationId);
  const body = (await response.json()) as T;
  assert.equal(response.status, status, `${operationId}: ${JSON.stringify(body)}`);
  assert.equal(response.headers.get("cache-control"), "no-store");
  const schema = (operation.success as { schema?: z.ZodType }).schema;
  assert.ok(schema, `${operationId} documents a JSON schema`);
  // Zod drops keys it does not know: equal after parsing means no undocumented field either.
  assert.deepEqual(schema.parse(body), body, `${operationId}'s answer matches its documented schema`);
  return body;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

/** The error, after checking its status, code and the documented error shape. */
export async function expectError(response: Response, status: number, code: string): Promise<ApiErrorBody> {
  const { errorSchema } = await import("../../lib/web/api/schemas");
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.deepEqual(errorSchema.parse(body), body, "the documented error shape");
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 10, "a message that says what to do");
  return body.error;
}
