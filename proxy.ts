import { NextResponse, type NextRequest } from "next/server";
import { buildContentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from "@/lib/web/content-security-policy";
import { AppError } from "@/lib/core/app-error";
import { toHttpError } from "@/lib/web/http-error";
import { MISSING_TOKEN_MESSAGE } from "@/lib/web/api/missing-token";
import { PULL_MISSING_TOKEN_MESSAGE } from "@/lib/domain/deploy/pull/pull-messages";
import { ACTION_TOO_LARGE_MESSAGE, crossSiteActionMessage, MAX_ACTION_BODY_BYTES } from "@/lib/web/request-refusals";

/**
 * Three jobs for every request except built static files:
 *
 * 1. Security headers. A fresh nonce per request goes into the Content-Security-Policy, both on
 *    the response and on the request, where Next.js reads it and puts it on its own scripts
 *    (pages are rendered per request, so each gets its nonce). See lib/security/.
 * 2. An optimistic first gate: requests without a session cookie go to the sign-in page (pages)
 *    or get 401 (API). The real check, against the database, happens in every page, server
 *    action and route handler (lib/web/session.ts); this only saves a render for obvious cases.
 *    Public: the sign-in page, HTTP-01 answers for the CA, the health check.
 *    The REST API (/api/v1) and /metrics check their own credentials (bearer tokens, the metrics
 *    allow-list; lib/api/) and never accept the session cookie, so they pass here when they
 *    carry a token, and signed-out GETs of /metrics pass too (they may come from an allowed address).
 *    The pull agents' API (/api/pull) is the same: bearer tokens of pullers only.
 * 3. Server actions refused before Next.js runs them, with a status and a sentence instead of the
 *    500 Next.js answers: a POST from another site (its Origin is not this host, the check Next.js
 *    makes too) gets 403, a body over Next.js's 1 MB limit gets 413. Both as text/plain, which
 *    the dashboard's error boundary shows (lib/web/request-refusals.ts).
 */
const SESSION_COOKIE = "certdeck_session";

function isPublic(pathname: string): boolean {
  return (
    pathname === "/login" ||
    pathname.startsWith("/login/") ||
    pathname.startsWith("/.well-known/acme-challenge/") ||
    pathname === "/api/health" ||
    pathname.startsWith("/api/health/")
  );
}

const isRestApi = (pathname: string) => pathname === "/api/v1" || pathname.startsWith("/api/v1/");
const isPullApi = (pathname: string) => pathname === "/api/pull" || pathname.startsWith("/api/pull/");

function checksOwnCredentials(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  const isMetrics = pathname === "/metrics";
  if (!isMetrics && !isRestApi(pathname) && !isPullApi(pathname)) return false;
  if (/^bearer\s/i.test(request.headers.get("authorization") ?? "")) return true;
  return isMetrics && (request.method === "GET" || request.method === "HEAD");
}

function gate(request: NextRequest, requestHeaders: Headers): NextResponse {
  const pass = () => NextResponse.next({ request: { headers: requestHeaders } });
  if (isPublic(request.nextUrl.pathname) || checksOwnCredentials(request) || request.cookies.has(SESSION_COOKIE)) return pass();
  if (isRestApi(request.nextUrl.pathname) || isPullApi(request.nextUrl.pathname)) {
    const message = isPullApi(request.nextUrl.pathname) ? PULL_MISSING_TOKEN_MESSAGE : MISSING_TOKEN_MESSAGE;
    const { body, status, headers } = toHttpError(new AppError("unauthorized", message));
    return NextResponse.json(body, { status, headers });
  }
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "sign in first" }, { status: 401 });
  }
  // Server actions check the session themselves and answer with a redirect to the sign-in page,
  // which the browser follows; a bare 401 here would only show a broken page.
  if (request.method === "POST" && request.headers.has("next-action")) return pass();
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new NextResponse("sign in first", { status: 401 });
  }
  return NextResponse.redirect(new URL("/login", request.url));
}

/** A POST to a page: a server action (with JavaScript: the Next-Action header; without: a form post). */
function isServerActionRequest(request: NextRequest): boolean {
  if (request.method !== "POST") return false;
  if (request.headers.has("next-action")) return true;
  const { pathname } = request.nextUrl;
  return !pathname.startsWith("/api/") && pathname !== "/metrics" && !pathname.startsWith("/.well-known/");
}

/** The host the browser addressed, as Next.js reads it for its own Origin check. */
function requestedHost(request: NextRequest): string | null {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("host");
}

function originHostOf(origin: string): string | null {
  if (origin === "null") return "null";
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Whether the body is larger than `limit`: from Content-Length, else counted (a chunked body). */
async function isBodyLargerThan(request: NextRequest, limit: number): Promise<boolean> {
  const declared = request.headers.get("content-length");
  if (declared !== null) return Number(declared) > limit;
  if (!request.body) return false;
  const reader = request.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      size += value.byteLength;
      if (size > limit) return true;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function refuseServerAction(request: NextRequest): Promise<NextResponse | null> {
  if (!isServerActionRequest(request)) return null;
  const origin = request.headers.get("origin");
  if (origin !== null && originHostOf(origin) !== requestedHost(request)) {
    return new NextResponse(crossSiteActionMessage(origin), { status: 403, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
  }
  if (await isBodyLargerThan(request, MAX_ACTION_BODY_BYTES)) {
    return new NextResponse(ACTION_TOO_LARGE_MESSAGE, {
      status: 413,
      headers: { "content-type": "text/plain", "cache-control": "no-store", connection: "close" },
    });
  }
  return null;
}

export async function proxy(request: NextRequest) {
  const csp = buildContentSecurityPolicy({ nonce: createNonce(), isDev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);

  const response = (await refuseServerAction(request)) ?? gate(request, requestHeaders);
  response.headers.set("Content-Security-Policy", csp);
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

export const config = {
  // Everything but built static files (they get the fixed headers from next.config.ts).
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico).*)"],
};
