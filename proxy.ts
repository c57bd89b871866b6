import { NextResponse, type NextRequest } from "next/server";

/**
 * An optimistic first gate: requests without a session cookie go to the sign-in page (pages) or
 * get 401 (API). The real check, against the database, happens in every page, server action and
 * route handler (lib/auth/session.ts); this only saves a render for obvious cases.
 */
const SESSION_COOKIE = "certdeck_session";

export function proxy(request: NextRequest) {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "sign in first" }, { status: 401 });
  }
  // Server actions check the session themselves and answer with a redirect to the sign-in page,
  // which the browser follows; a bare 401 here would only show a broken page.
  if (request.method === "POST" && request.headers.has("next-action")) return NextResponse.next();
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new NextResponse("sign in first", { status: 401 });
  }
  return NextResponse.redirect(new URL("/login", request.url));
}

export const config = {
  // Public: the sign-in page, HTTP-01 answers for the CA, the health check, static assets.
  matcher: ["/((?!login|\\.well-known/acme-challenge/|api/health|_next/static|_next/image|favicon\\.ico|icon\\.svg).*)"],
};
