import { isDatabaseReachable } from "@/lib/domain/metrics/database-health";

/** Public liveness/readiness check for monitoring: the database answers. Reveals nothing else. */
export async function GET() {
  const isHealthy = await isDatabaseReachable();
  return Response.json({ status: isHealthy ? "ok" : "error" }, { status: isHealthy ? 200 : 503, headers: { "cache-control": "no-store" } });
}
