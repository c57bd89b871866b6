import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { ensurePebbleAccount } from "./support/accounts";
import { E2E_ADMIN_SESSION, E2E_BASE_URL } from "./support/e2e-env";
import { listAppRoutes, PUBLIC_ROUTES } from "./support/route-tree";
import { signIn, SIGNED_OUT } from "./support/session";

test.describe.configure({ mode: "serial" });

/** The add form (used by several tests below) shows only once an ACME account is registered. */
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, storageState: E2E_ADMIN_SESSION });
  await ensurePebbleAccount(await context.newPage(), "Pebble (security spec)");
  await context.close();
});

const routes = listAppRoutes();
const protectedPages = routes.filter((route) => route.kind === "page" && !PUBLIC_ROUTES.has(route.pattern));
const protectedHandlers = routes.filter((route) => route.kind === "route" && !PUBLIC_ROUTES.has(route.pattern));
const publicRoutes = routes.filter((route) => PUBLIC_ROUTES.has(route.pattern));

/** The directives of a Content-Security-Policy header value. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/** The security headers every response carries; returns the CSP's script nonce. */
function expectSecurityHeaders(response: APIResponse | { headers(): Record<string, string> }, what: string): string {
  const headers = response.headers();
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  const csp = headers["content-security-policy"];
  expect(csp, `${what}: Content-Security-Policy`).toBeTruthy();
  const policy = directives(csp);
  const scriptSrc = policy.get("script-src") ?? [];
  expect(scriptSrc, what).toContain("'strict-dynamic'");
  expect(scriptSrc, what).not.toContain("'unsafe-inline'");
  expect(scriptSrc, what).not.toContain("'unsafe-eval'");
  const nonce = scriptSrc.find((source) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(source));
  expect(nonce, `${what}: script-src has a nonce`).toBeTruthy();
  expect(policy.get("default-src"), what).toEqual(["'self'"]);
  expect(policy.get("img-src"), what).toEqual(["'self'", "data:"]);
  expect(policy.get("connect-src"), what).toEqual(["'self'"]);
  expect(policy.get("object-src"), what).toEqual(["'none'"]);
  expect(policy.get("base-uri"), what).toEqual(["'self'"]);
  expect(policy.get("form-action"), what).toEqual(["'self'"]);
  expect(policy.get("frame-ancestors"), what).toEqual(["'none'"]);
  return nonce!.slice("'nonce-".length, -1);
}

/** Console errors about the Content Security Policy (Chromium reports every violation there). */
function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("the route tree is read from app/ and the public routes are the allow-listed ones", () => {
  const patterns = routes.map((route) => route.pattern);
  expect(patterns).toContain("/");
  expect(patterns).toContain("/certificates/[id]");
  expect(routes.find((route) => route.pattern === "/certificates/[id]")?.url).toBe("/certificates/doesnotexist");
  expect(routes.find((route) => route.pattern === "/.well-known/acme-challenge/[token]")?.url).toBe("/.well-known/acme-challenge/doesnotexist");
  // Every allow-listed route still exists (a rename must not leave a stale entry behind).
  expect(publicRoutes.map((route) => route.pattern).sort()).toEqual([...PUBLIC_ROUTES].sort());
  expect(protectedPages.length).toBeGreaterThan(3);
  expect(protectedHandlers.length).toBeGreaterThan(0);
});

/*
 * Signed out at the start: what a visitor without a session gets, the sign-in page itself, and
 * signing in under the policy.
 */
test.describe("signed out", () => {
  test.use({ storageState: SIGNED_OUT });

  test("signed out, every protected page redirects to /login and every protected API route answers 401", async ({ page, request }) => {
    for (const route of protectedPages) {
      const response = await request.get(route.url, { maxRedirects: 0 });
      expect([307, 308], `${route.file} (${route.url})`).toContain(response.status());
      expect(new URL(response.headers()["location"], "http://x").pathname, `${route.file} (${route.url})`).toBe("/login");
      expectSecurityHeaders(response, `redirect from ${route.url}`);

      await page.goto(route.url);
      await expect(page, `${route.file} (${route.url})`).toHaveURL(/\/login$/);
    }
    for (const route of protectedHandlers) {
      for (const method of ["GET", "POST", "DELETE"] as const) {
        const response = await request.fetch(route.url, { method, maxRedirects: 0 });
        expect(response.status(), `${method} ${route.file} (${route.url})`).toBe(401);
        expectSecurityHeaders(response, `${method} ${route.url}`);
      }
    }
    for (const route of publicRoutes) {
      const response = await request.get(route.url, { maxRedirects: 0 });
      expect(response.status(), `${route.file} (${route.url})`).toBeLessThan(500);
      expect([301, 302, 303, 307, 308, 401], `${route.file} (${route.url}) answers without redirect`).not.toContain(response.status());
      expectSecurityHeaders(response, route.url);
    }
  });

  test("pages, the sign-in page, API responses and static files carry the security headers", async ({ page, request }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    const nonce = expectSecurityHeaders(login, "/login");
    // Every script in the HTML carries this response's nonce; a second request gets another one.
    const html = await login.text();
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThan(0);
    for (const tag of scriptTags) expect(tag, "script tag carries the nonce").toContain(`nonce="${nonce}"`);
    expect(expectSecurityHeaders(await request.get("/login"), "/login again")).not.toBe(nonce);

    expectSecurityHeaders(await request.get("/api/health"), "/api/health");

    await signIn(page);
    const overview = await page.goto("/");
    expect(overview?.status()).toBe(200);
    expectSecurityHeaders(overview!, "/ signed in");
    const fullchain = await page.request.get("/api/certificates/doesnotexist/fullchain");
    expect(fullchain.status()).toBe(404);
    expectSecurityHeaders(fullchain, "API 404 signed in");

    // Built static files: no CSP needed (not documents), but nosniff and the rest.
    const scriptUrl = await page.locator("script[src*='/_next/static/']").first().getAttribute("src");
    expect(scriptUrl).toBeTruthy();
    const asset = await request.get(scriptUrl!);
    expect(asset.status()).toBe(200);
    expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
    expect(asset.headers()["x-frame-options"]).toBe("DENY");
  });

  test("the dashboard works under the policy: sign in, navigate, client interactivity, no violations", async ({ page }) => {
    const violations = collectCspViolations(page);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));

    await signIn(page);
    await page.getByRole("link", { name: "ACME accounts" }).click();
    await expect(page).toHaveURL(/\/accounts$/);
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await page.getByRole("link", { name: "Certificates" }).click();
    await expect(page).toHaveURL("/");
    await page.getByRole("link", { name: "Add certificate" }).first().click();
    await expect(page).toHaveURL(/\/certificates\/new$/);
    // Client-side state (hydrated React): choosing the standalone method swaps the help text.
    await page.getByLabel(/standalone/i).check();
    await expect(page.getByText(/The job opens port \d+ only while the CA validates/)).toBeVisible();
    // A full reload, too (every script must come with the new response's nonce).
    await page.reload();
    await expect(page.getByLabel("Names")).toBeVisible();
    await page.getByLabel(/standalone/i).check();
    await expect(page.getByText(/The job opens port \d+ only while the CA validates/)).toBeVisible();
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);

    // An unknown address renders CertDeck's own not-found page per request too, so its scripts
    // and styles carry the nonce.
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await page.waitForLoadState("load");
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

test("markup typed as a name is refused and shown as text, never rendered", async ({ page }) => {
  const violations = collectCspViolations(page);
  let dialogOpened = false;
  page.on("dialog", (dialog) => {
    dialogOpened = true;
    void dialog.dismiss();
  });
  await page.goto("/certificates/new");
  // As typed (split into entries at the spaces) and without spaces (one entry).
  await page.getByLabel("Names").fill("<img src=x onerror=alert(1)>\n<img/src=x/onerror=alert(1)>");
  await page.getByRole("button", { name: "Add and issue" }).click();

  await expect(page.getByText('"<img/src=x/onerror=alert(1)>"')).toBeVisible();
  await expect(page.getByText('"<img"')).toBeVisible();
  await expect(page.getByText('"onerror=alert(1)>"')).toBeVisible();
  await expect(page).toHaveURL(/\/certificates\/new$/);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("img[onerror]")).toHaveCount(0);
  expect(dialogOpened).toBe(false);
  expect(violations).toEqual([]);
});

test("a server action posted from another origin is refused", async ({ page }) => {
  await page.goto("/certificates/new");
  await page.getByLabel("Names").fill("bad_name.example.test");
  // Capture a genuine server action call (the read-only Check), then replay it.
  const [call] = await Promise.all([
    page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"])),
    page.getByRole("button", { name: "Check", exact: true }).click(),
  ]);
  await expect(page.getByText("Fix the form before checking:")).toBeVisible();
  const sent = call.headers();
  const replay = (origin: string) =>
    page.request.post(call.url(), {
      headers: {
        "next-action": sent["next-action"],
        "content-type": sent["content-type"],
        accept: sent["accept"] ?? "text/x-component",
        ...(sent["next-router-state-tree"] ? { "next-router-state-tree": sent["next-router-state-tree"] } : {}),
        origin,
      },
      data: call.postDataBuffer() ?? undefined,
      maxRedirects: 0,
    });

  const sameOrigin = await replay(new URL(call.url()).origin);
  expect(sameOrigin.status()).toBe(200);
  expect(await sameOrigin.text()).toContain("bad_name.example.test");

  // Refused by proxy.ts before Next.js runs the action (issue #13: a 403 with a sentence, where
  // Next.js itself answered 500).
  const foreign = await replay("https://attacker.example");
  expect(foreign.status()).toBe(403);
  const refusal = await foreign.text();
  expect(refusal).not.toContain("bad_name.example.test");
  expect(refusal).toMatch(/^This form was sent from another site \(https:\/\/attacker\.example\), not from a CertDeck page: refused/);
  expectSecurityHeaders(foreign, "refused server action");
});
