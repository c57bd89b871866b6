import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/web/content-security-policy";

const nextConfig: NextConfig = {
  // Every page is per-user and per-request behind a session, so nothing is prerendered or
  // cached: Cache Components (on in create-next-app 16) stays off. See README "Decisions".
  // Per-request rendering is also what the nonce-based Content-Security-Policy (proxy.ts) needs.
  cacheComponents: false,
  poweredByHeader: false,
  // Native driver and CommonJS libraries load from node_modules at run time, unbundled.
  serverExternalPackages: ["acme-client", "better-sqlite3", "@prisma/adapter-better-sqlite3", "ssh2"],
  // The fixed security headers on every response, built static files included (proxy.ts does
  // not run for those); proxy.ts sets the same values again together with the per-request CSP.
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
  turbopack: {
    rules: {
      "*.css": {
        loaders: ["@tailwindcss/turbopack"],
        as: "*.css",
      },
    },
  },
};

export default nextConfig;
