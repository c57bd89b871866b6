import { AppError } from "@/lib/core/app-error";
import { checkApiToken } from "@/lib/domain/api-tokens/authenticate";
import { isMetricsAddressAllowed } from "@/lib/domain/metrics/metrics-access";
import { collectMetrics } from "@/lib/domain/metrics/collect-metrics";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "@/lib/protocol/prometheus/exposition";
import { INVALID_TOKEN_MESSAGE } from "@/lib/web/api/missing-token";
import { clientAddressOf } from "@/lib/web/client-address";
import { httpErrorResponse } from "@/lib/web/http-error";

/**
 * Prometheus metrics. Readable with an API token of any scope (Authorization: Bearer, which
 * Prometheus sends with `authorization: { credentials: ... }`), or without one from an address
 * in the metricsAllowFrom setting (Settings → API tokens). A token that is sent must be valid,
 * even from an allowed address. The session cookie is not accepted.
 */
export async function GET(request: Request) {
  const token = await checkApiToken(request);
  if (!token.ok) {
    const address = clientAddressOf(request.headers);
    const isAllowed = token.reason === "missing" && address !== null && (await isMetricsAddressAllowed(address));
    if (!isAllowed) {
      const message =
        token.reason === "missing"
          ? 'Send an API token as "Authorization: Bearer <token>" (Settings → API tokens), or add this scraper\'s address to the metrics allow-list there.'
          : INVALID_TOKEN_MESSAGE;
      return httpErrorResponse(new AppError("unauthorized", message), "GET /metrics");
    }
  }
  return new Response(renderExposition(await collectMetrics()), {
    headers: { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" },
  });
}
