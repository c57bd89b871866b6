import { AppError } from "@/lib/core/app-error";
import { getSetting } from "@/lib/data/settings";
import type { OrderRequest } from "@/lib/protocol/acme/order-certificate";
import type { PreflightReport } from "@/lib/domain/preflight/preflight-types";
import type { JobContext } from "@/lib/jobs/handlers/define-job";
import type { JobType } from "@/lib/data/queue/job-types";
import { preflightBlocksOrder, runPreflight, savePreflightReport } from "@/lib/domain/preflight/run-preflight";

/**
 * Runs the pre-flight check before a new order, logs what it found, and stops the job when a
 * check fails, unless the user chose "issue anyway" (which the log records). Resumed orders
 * skip it: the order exists already. Returns the report (undefined when skipped), which says where
 * the CA will connect (validationContextOf).
 */
export async function passPreflightGate(
  context: Pick<JobContext<JobType, unknown, { orderUrl?: string }>, "state" | "log">,
  certificateId: string,
  options: { save: boolean; issueAnyway?: boolean },
): Promise<PreflightReport | undefined> {
  if (context.state.orderUrl) return undefined;
  const { log } = context;
  const report = await runPreflight(certificateId);
  if (options.save) await savePreflightReport(certificateId, report);
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const check of report.checks) counts[check.status] += 1;
  await log("preflight", `Pre-flight check: ${counts.pass} passed, ${counts.warn} warnings, ${counts.fail} failed`, { detail: report });
  const failed = report.checks.filter((check) => check.status === "fail");
  const stopsHere = preflightBlocksOrder(report) && !options.issueAnyway;
  // When the job stops here, the first failure is the sentence it ends with (the runner logs
  // that as the job's last line): logged here as well, the log would say it twice in a row.
  const [first] = failed;
  for (const check of report.checks.filter((candidate) => candidate.status !== "pass" && !(stopsHere && candidate === first))) {
    await log("preflight", [check.message, check.fix].filter(Boolean).join(" "), { level: check.status === "fail" ? "error" : "warn" });
  }
  if (!preflightBlocksOrder(report)) return report;
  if (options.issueAnyway) {
    await log("preflight", 'The pre-flight check failed, but "issue anyway" was chosen: asking the CA regardless', { level: "warn" });
    return report;
  }
  const more = failed.length > 1 ? ` (${failed.length - 1} more problem${failed.length > 2 ? "s" : ""} in the pre-flight report)` : "";
  throw new AppError("preflight_failed", `${[first.message, first.fix].filter(Boolean).join(" ")}${more} Nothing was sent to the CA.`, { reason: "preflight" });
}

const HTTP01_METHODS: ReadonlySet<string> = new Set(["http-01-app", "http-01-webroot", "http-01-standalone"]);

/**
 * Where the CA will connect, for a failed challenge the CA explains without a validation record
 * (lib/protocol/acme/problems.ts describeChallengeFailure): the addresses the pre-flight check
 * found per name (its A and AAAA answers), and the port the CA validates HTTP-01 on (the
 * validationHttpPort setting).
 */
export async function validationContextOf(challengeMethod: string, report: PreflightReport | undefined): Promise<OrderRequest["validation"]> {
  // TLS-ALPN-01: the CA always connects to 443; the tlsAlpnPort setting is where CertDeck's
  // listener opens, which a proxy may forward to (so it is not the port to name).
  const port = HTTP01_METHODS.has(challengeMethod) ? await getSetting("validationHttpPort") : undefined;
  const preflightAddresses: Record<string, string[]> = {};
  for (const check of report?.checks ?? []) {
    if (check.kind !== "host-address" || !check.identifier) continue;
    const records = (check.detail as { records?: unknown } | undefined)?.records;
    if (!Array.isArray(records)) continue;
    const addresses = records.filter((record): record is string => typeof record === "string");
    preflightAddresses[check.identifier] = [...(preflightAddresses[check.identifier] ?? []), ...addresses];
  }
  return { preflightAddresses, port };
}
