/**
 * Calls the app's real route handlers (app/**\/route.ts) with a real Request, as Next.js does
 * after proxy.ts has let the request through.
 */
export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteModule = Partial<Record<RouteMethod, RouteHandler>>;

export interface RouteCall {
  token?: string;
  params?: Record<string, string>;
  /** Sent as JSON with Content-Type: application/json, unless `rawBody` is given. */
  body?: unknown;
  rawBody?: { text: string; contentType?: string };
  headers?: Record<string, string>;
}

export async function callRoute(route: RouteModule, method: RouteMethod, path: string, call: RouteCall = {}): Promise<Response> {
  const handler = route[method];
  if (!handler) throw new Error(`the route module for ${path} exports no ${method}`);
  const headers = new Headers(call.headers);
  // What scripts/server.mjs sets from the socket: these calls come from this machine, as a
  // reverse proxy on the same host would forward them.
  if (!headers.has("x-certdeck-peer")) headers.set("x-certdeck-peer", "127.0.0.1");
  if (call.token !== undefined) headers.set("authorization", `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.rawBody) {
    body = call.rawBody.text;
    if (call.rawBody.contentType) headers.set("content-type", call.rawBody.contentType);
  } else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers.set("content-type", "application/json");
  }
  const request = new Request(new URL(path, "http://localhost"), { method, headers, body });
  return handler(request, { params: Promise.resolve(call.params ?? {}) });
}
