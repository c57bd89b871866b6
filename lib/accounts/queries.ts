import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/job-types";
import "server-only";
import { db } from "@/lib/db/client";

export async function listAccounts() {
  return db.acmeAccount.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      label: true,
      directoryUrl: true,
      email: true,
      accountUrl: true,
      status: true,
      termsOfServiceUrl: true,
      termsAgreedAt: true,
      eabKeyId: true,
      caBundlePem: true,
      lastError: true,
      ordersPer3HoursLimit: true,
      failedValidationsPerHourLimit: true,
      createdAt: true,
      _count: { select: { certificates: true } },
      // The latest registration job, to show its live progress while it runs.
    },
  });
}
export type AccountRow = Awaited<ReturnType<typeof listAccounts>>[number];

export async function listRegisteredAccounts() {
  return db.acmeAccount.findMany({
    where: { status: "valid" },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, directoryUrl: true },
  });
}

export async function hasPendingAccountRegistration(): Promise<boolean> {
  return (await db.job.count({ where: { type: "register-account", status: { in: ACTIVE_JOB_STATUSES } } })) > 0;
}
