import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databasePath } from "@/lib/env";

/**
 * The one Prisma client of the process. Secret columns are omitted from every query unless a
 * caller asks for them explicitly, so they cannot leak into a page by accident.
 */
function createClient() {
  const adapter = new PrismaBetterSQLite3({ url: `file:${databasePath}` });
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

type Client = ReturnType<typeof createClient>;
const globalForPrisma = globalThis as unknown as { certdeckPrisma?: Client };

export const db: Client = globalForPrisma.certdeckPrisma ?? createClient();
globalForPrisma.certdeckPrisma = db;
