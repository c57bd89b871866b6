import { AppError } from "@/lib/core/app-error";
import type { JobContext } from "@/lib/jobs/define-job";
import type { JobType } from "@/lib/data/queue/job-types";
import { preflightBlocksOrder, runPreflight, savePreflightReport } from "@/lib/domain/preflight/run-preflight";

/**
 * Runs the pre-flight check before a new order, logs what it found, and stops the job when a
 * check fails, unless the user chose "issue anyway" (which the log records). Resumed orders
 * skip it: the order exists already.
 */
export async function passPreflightGate(
  context: Pick<JobContext<JobType, unknown, { orderUrl?: string }>, "state" | "log">,
  certificateId: string,
  options: { save: boolean; issueAnyway?: boolean },
): Promise<void> {
  if (context.state.orderUrl) return;
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
  if (!preflightBlocksOrder(report)) return;
  if (options.issueAnyway) {
    await log("preflight", 'The pre-flight check failed, but "issue anyway" was chosen: asking the CA regardless', { level: "warn" });
    return;
  }
  const more = failed.length > 1 ? ` (${failed.length - 1} more problem${failed.length > 2 ? "s" : ""} in the pre-flight report)` : "";
  throw new AppError("preflight_failed", `${[first.message, first.fix].filter(Boolean).join(" ")}${more} Nothing was sent to the CA.`, { reason: "preflight" });
}
