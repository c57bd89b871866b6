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
 * What the manual DNS responder keeps in its job's saved state (its own keys, next to the order's
 * progress): the records shown to the operator, when it asked for them, when the operator's
 * "Done" counted for exactly those records, and why the last check after "Done" did not pass.
 * Only the responder writes these (through its ResponderContext); the operator's "Done" is
 * recorded on the job row, and the responder compares it with when it asked.
 */
const manualDnsStateSchema = z.object({
  manualDnsRecords: z.array(manualTxtRecordSchema).optional().catch(undefined),
  manualDnsAskedAt: z.string().nullish().catch(undefined),
  manualDnsConfirmedAt: z.string().nullish().catch(undefined),
  manualDnsProblem: z.string().nullish().catch(undefined),
});
export type ManualDnsState = z.infer<typeof manualDnsStateSchema>;

/** The manual DNS keys of a saved state (anything unreadable counts as absent). */
export function parseManualDnsState(value: unknown): ManualDnsState {
  const parsed = manualDnsStateSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

function parseStoredJson(stored: string | null): unknown {
  if (!stored) return {};
  try {
    return JSON.parse(stored);
  } catch {
    return {};
  }
}

/** The manual DNS part of a job's saved state (nothing else: the state also holds an encrypted key). */
export async function readManualDnsState(jobId: string): Promise<ManualDnsState> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { state: true } });
  return parseManualDnsState(parseStoredJson(job?.state ?? null));
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
