/**
 * The app's routes, read from the file system at test time, so that a new page or route handler
 * is covered by the signed-out checks in security.spec.ts without anyone remembering to list it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

export interface AppRoute {
  /** "page" (page.tsx) or "route" (route.ts, a route handler). */
  kind: "page" | "route";
  /** The file, relative to the repository root. */
  file: string;
  /** The route as written in the tree, groups dropped: "/certificates/[id]". */
  pattern: string;
  /** A URL to request: dynamic segments filled with an id that does not exist. */
  url: string;
}

/** A made-up value for dynamic segments; no certificate, token or account has this id. */
export const MADE_UP_ID = "doesnotexist";

/** Routes answered without a session (by pattern). Everything else must refuse signed-out requests. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(["/login", "/.well-known/acme-challenge/[token]", "/api/health"]);

const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx)$/;
const ROUTE_FILE = /^route\.(ts|js)$/;

/** Every page.tsx and route.ts under `appDir`, sorted by pattern. */
export function listAppRoutes(appDir = path.resolve("app")): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Private folders (_x) are not routes; parallel-route slots (@x) add no URL segment.
        if (entry.name.startsWith("_") || entry.name === "node_modules") continue;
        walk(path.join(dir, entry.name), [...segments, entry.name]);
      } else if (entry.isFile() && (PAGE_FILE.test(entry.name) || ROUTE_FILE.test(entry.name))) {
        const urlSegments = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
        const pattern = "/" + urlSegments.join("/");
        const url = "/" + urlSegments.map((segment) => (/^\[.*\]$/.test(segment) ? MADE_UP_ID : segment)).join("/");
        routes.push({
          kind: PAGE_FILE.test(entry.name) ? "page" : "route",
          file: path.relative(process.cwd(), path.join(dir, entry.name)),
          pattern,
          url,
        });
      }
    }
  };
  walk(appDir, []);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
