import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Every page is per-user and per-request behind a session, so nothing is prerendered or
  // cached: Cache Components (on in create-next-app 16) stays off. See README "Decisions".
  cacheComponents: false,
  poweredByHeader: false,
  // Native driver and CommonJS libraries load from node_modules at run time, unbundled.
  serverExternalPackages: ["acme-client", "better-sqlite3", "@prisma/adapter-better-sqlite3"],
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
