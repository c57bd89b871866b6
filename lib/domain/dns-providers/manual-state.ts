import { z } from "zod";
import { db } from "@/lib/data/client";

/** One TXT record name with every value it must hold (a wildcard and its base share a name). */
export interface ManualTxtRecord {
  /** `_acme-challenge.example.com`, without the trailing dot. */
  name: string;
  values: string[];
}

const manualTxtRecordSchema = z.object({ name: z.string(), values: z.array(z.string()) });

/**
 * What the manual DNS provider keeps in its job's saved state (next to the order's progress):
 * the records shown to the operator, when the operator pressed "Done" for exactly those records,
 * and why the last check after "Done" did not pass.
 */
const manualDnsStateSchema = z.object({
  manualDnsRecords: z.array(manualTxtRecordSchema).optional().catch(undefined),
  manualDnsConfirmedAt: z.string().nullish().catch(undefined),
  manualDnsProblem: z.string().nullish().catch(undefined),
});
export type ManualDnsState = z.infer<typeof manualDnsStateSchema>;

function parseState(stored: string | null): Record<string, unknown> {
  if (!stored) return {};
  try {
    const parsed: unknown = JSON.parse(stored);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The manual DNS part of a job's saved state (nothing else: the state also holds an encrypted key). */
export async function readManualDnsState(jobId: string): Promise<ManualDnsState> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { state: true } });
  return manualDnsStateSchema.parse(parseState(job?.state ?? null));
}

/**
 * Merges `patch` into the job's saved state. Only the job's own worker calls this while the job
 * runs (the operator's "Done" goes through resumeWaitingJob, which only touches waiting jobs).
 */
export async function patchManualDnsState(jobId: string, patch: ManualDnsState): Promise<void> {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { state: true } });
  await db.job.update({ where: { id: jobId }, data: { state: JSON.stringify({ ...parseState(job.state), ...patch }) } });
}

/** Records in one canonical order, so "the records the operator confirmed" can be compared. */
export function normalizeTxtRecords(records: ManualTxtRecord[]): ManualTxtRecord[] {
  return [...records]
    .map((record) => ({ name: record.name.toLowerCase().replace(/\.$/, ""), values: [...new Set(record.values)].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function isSameTxtRecords(a: ManualTxtRecord[] | undefined, b: ManualTxtRecord[]): boolean {
  return a !== undefined && JSON.stringify(normalizeTxtRecords(a)) === JSON.stringify(normalizeTxtRecords(b));
}
