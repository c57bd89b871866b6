import { ApiError, apiErrorResponse } from "@/lib/api/api-error";
import { checkApiToken } from "@/lib/api/authenticate";
import { peerAddressOf } from "@/lib/api/request-address";
import { getSetting } from "@/lib/db/settings";
import { isAddressAllowed, parseAllowList } from "@/lib/metrics/allow-list";
import { collectMetrics } from "@/lib/metrics/collect-metrics";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "@/lib/metrics/exposition";

/**
 * Prometheus metrics. Readable with an API token of any scope (Authorization: Bearer, which
 * Prometheus sends with `authorization: { credentials: ... }`), or without one from an address
 * in the metricsAllowFrom setting (Settings → API tokens). A token that is sent must be valid,
 * even from an allowed address. The session cookie is not accepted.
 */
export async function GET(request: Request) {
  const token = await checkApiToken(request);
  if (!token.ok) {
    const peer = peerAddressOf(request);
    const allowList = parseAllowList(await getSetting("metricsAllowFrom"));
    const isAllowed = token.reason === "missing" && peer !== null && allowList.ok && isAddressAllowed(allowList.entries, peer);
    if (!isAllowed) {
      return apiErrorResponse(
        new ApiError(
          "unauthorized",
          token.reason === "missing"
            ? "Send an API token as \"Authorization: Bearer <token>\" (Settings → API tokens), or add this scraper's address to the metrics allow-list there."
            : "This API token is not valid: it was revoked or mistyped. Create a new one under Settings → API tokens.",
        ),
      );
    }
  }
  return new Response(renderExposition(await collectMetrics()), {
    headers: { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" },
  });
}
