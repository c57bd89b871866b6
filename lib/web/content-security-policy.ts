/**
 * The security headers CertDeck sends, built here (pure, no Next.js imports) so that proxy.ts,
 * next.config.ts and the tests share one definition.
 *
 * Scripts: only those carrying the per-request nonce, plus what they load ('strict-dynamic');
 * Next.js puts the nonce on its own scripts when it finds it in the request's
 * Content-Security-Policy header (proxy.ts sets it). No 'unsafe-inline' for scripts, ever.
 * Styles: the Tailwind stylesheet is a file ('self'); <style> elements need the nonce; inline
 * style *attributes* (a progress bar's width) are allowed through style-src-attr only.
 */

export interface ContentSecurityPolicyOptions {
  /** Base64 nonce, fresh for every request. */
  nonce: string;
  /** `next dev` needs 'unsafe-eval' (React rebuilds server error stacks with eval). */
  isDev?: boolean;
}

const NONCE_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The Content-Security-Policy header value for one request. */
export function buildContentSecurityPolicy({ nonce, isDev = false }: ContentSecurityPolicyOptions): string {
  if (!NONCE_PATTERN.test(nonce) || nonce.length < 16) throw new Error("CSP nonce must be at least 16 base64 characters");
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isDev ? ["'unsafe-eval'"] : [])],
    // In development Next.js injects <style> elements without a nonce (HMR, error overlay).
    ["style-src", "'self'", ...(isDev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(isDev ? ["ws:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/** A fresh nonce: 16 random bytes, base64 (Web Crypto, so it works in any runtime). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The headers every response gets besides the CSP (static assets included, via next.config.ts).
 * Permissions-Policy turns off the powerful features a certificate dashboard never uses.
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  },
];

/** Parse a CSP header value into directive name → source list (for tests and checks). */
export function parseContentSecurityPolicy(value: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const part of value.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !result.has(name.toLowerCase())) result.set(name.toLowerCase(), sources);
  }
  return result;
}
