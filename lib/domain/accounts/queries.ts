import "server-only";
import { maskSecret } from "@/lib/core/secret-mask";
import { ACTIVE_JOB_STATUSES } from "@/lib/data/queue/job-types";
import { caaExampleDomain } from "@/lib/domain/accounts/caa-records";
import { rateLimitsOf } from "@/lib/domain/accounts/rate-limits";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { db } from "@/lib/data/client";
import { decryptSecret } from "@/lib/data/secret-box";

/** The accounts page's rows: no secret, only a hint of the EAB HMAC key ("••••ab12"); the rate limits in force. */
export async function listAccounts() {
  const accounts = await db.acmeAccount.findMany({
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
      eabHmacKeyEnc: true,
      caBundlePem: true,
      privateNetwork: true,
      lastError: true,
      ordersPer3HoursLimit: true,
      failedValidationsPerHourLimit: true,
      createdAt: true,
      _count: { select: { certificates: true } },
      certificates: { take: 1, orderBy: { createdAt: "asc" }, select: { identifiers: true } },
    },
  });
  return accounts.map(({ eabHmacKeyEnc, certificates, ordersPer3HoursLimit, failedValidationsPerHourLimit, ...account }) => ({
    ...account,
    rateLimits: rateLimitsOf({ ordersPer3HoursLimit, failedValidationsPerHourLimit }),
    eabHmacKeyHint: eabHmacKeyEnc ? maskSecret(decryptSecret(eabHmacKeyEnc)) : null,
    caaExampleDomain: caaExampleDomain(certificates[0] ? parseStoredIdentifiers(certificates[0].identifiers) : []),
  }));
}
export type AccountRow = Awaited<ReturnType<typeof listAccounts>>[number];

/** The REST API's account list: enough to pick an accountId, no keys, no EAB secrets. */
export async function listAccountSummaries() {
  return db.acmeAccount.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, label: true, directoryUrl: true, status: true } });
}

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
