import { readPullManifest } from "@/lib/domain/deploy/pull/pull-service";
import { pullAnswerResponse, pullRoute } from "@/lib/web/pull/pull-route";

/**
 * The pull agent's first request on every run: the current version as key=value lines. With the
 * ETag of the installed version in If-None-Match, an unchanged certificate costs a 304, no body.
 */
export const GET = pullRoute("/api/pull/v1/manifest", async ({ request, puller }) =>
  pullAnswerResponse(await readPullManifest(puller, request.headers.get("if-none-match")), "text/plain; charset=utf-8"),
);
