import { bearerTokenOf } from "@/lib/domain/deploy/pull/pull-protocol";
import { buildInstallScript, readAgentFiles } from "@/lib/domain/deploy/pull/install-script";
import { API_RESPONSE_HEADERS } from "@/lib/web/http-error";
import { pullRoute } from "@/lib/web/pull/pull-route";

/**
 * The one-line install's script (lib/domain/deploy/pull/install-script.ts): the agent, its
 * systemd units and the puller's env file with the token this request was made with.
 */
export const GET = pullRoute("/api/pull/v1/install", async ({ request, puller }) => {
  const script = buildInstallScript({
    pullerName: puller.name,
    certificateName: puller.certificate.name,
    token: bearerTokenOf(request.headers.get("authorization")) ?? "",
    reloadHint: puller.reloadHint,
    agent: await readAgentFiles(),
  });
  return new Response(script, { headers: { ...API_RESPONSE_HEADERS, "content-type": "text/x-shellscript; charset=utf-8" } });
});
