import { recordPullReport } from "@/lib/domain/deploy/pull/pull-service";
import { API_RESPONSE_HEADERS } from "@/lib/web/http-error";
import { pullRoute, readReportFields } from "@/lib/web/pull/pull-route";

/** The agent's report after a run: version N installed (or failed, with the reload's last lines). */
export const POST = pullRoute("/api/pull/v1/report", async ({ request, puller }) => {
  const recorded = await recordPullReport(puller, await readReportFields(request));
  return Response.json({ certificate: puller.certificate.name, puller: puller.name, ...recorded }, { headers: API_RESPONSE_HEADERS });
});
