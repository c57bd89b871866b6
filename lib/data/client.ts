import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databasePath } from "@/lib/core/env";
import { withStatementCache } from "@/lib/data/statement-cache";
import { withTransactionGate } from "@/lib/data/transaction-gate";

/**
 * The one Prisma client of the process, opened on first use (so the data directory is read
 * then, not at import). Secret columns are omitted from every query unless a caller asks for
 * them explicitly, so they cannot leak into a page by accident. Plain queries wait while a
 * transaction is open (lib/data/transaction-gate.ts), so a rollback takes back only its own work.
 */
function createClient() {
  const adapter = withTransactionGate(withStatementCache(new PrismaBetterSQLite3({ url: `file:${databasePath()}` })));
  return new PrismaClient({
    adapter,
    omit: {
      acmeAccount: { accountKeyEnc: true, eabHmacKeyEnc: true },
      certificateVersion: { privateKeyEnc: true },
      user: { passwordHash: true },
      notificationChannel: { configEnc: true },
      dnsProvider: { credentialsEnc: true },
    },
  });
}

export type Database = ReturnType<typeof createClient>;
/** What a transaction callback gets: the client without $transaction and $connect. */
export type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

// Kept on globalThis: Next.js may load this module once per bundle (instrumentation, routes).
const globalForPrisma = globalThis as unknown as { certdeckPrisma?: Database };

function client(): Database {
  return (globalForPrisma.certdeckPrisma ??= createClient());
}

export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const target = client();
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
