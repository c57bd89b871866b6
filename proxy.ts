import { NextResponse, type NextRequest } from "next/server";
import { buildContentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from "@/lib/web/content-security-policy";
import { AppError } from "@/lib/core/app-error";
import { toHttpError } from "@/lib/web/http-error";
import { MISSING_TOKEN_MESSAGE } from "@/lib/web/api/missing-token";
import { PULL_MISSING_TOKEN_MESSAGE } from "@/lib/domain/deploy/pull/pull-messages";

/**
 * Two jobs for every request except built static files:
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

export function proxy(request: NextRequest) {
  const csp = buildContentSecurityPolicy({ nonce: createNonce(), isDev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);

  const response = gate(request, requestHeaders);
  response.headers.set("Content-Security-Policy", csp);
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

export const config = {
  // Everything but built static files (they get the fixed headers from next.config.ts).
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico).*)"],
};
