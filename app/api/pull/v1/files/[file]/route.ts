import { readPullFile } from "@/lib/domain/deploy/pull/pull-service";
import { pullAnswerResponse, pullRoute } from "@/lib/web/pull/pull-route";

/**
 * cert.pem, chain.pem, fullchain.pem or privkey.pem of the puller's certificate, current version
 * (?version=N must still be current: 409 otherwise). privkey.pem only with the key scope (403).
 */
export const GET = pullRoute("/api/pull/v1/files/{file}", async ({ request, puller, params, query }) => {
  const answer = await readPullFile(puller, String(params.file ?? ""), {
    requestedVersion: query.get("version"),
    ifNoneMatch: request.headers.get("if-none-match"),
  });
  return pullAnswerResponse(answer, "application/x-pem-file");
});
