import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The Prisma CLI (migrate deploy, generate) uses the JavaScript schema engine with the same
// better-sqlite3 driver the app uses, so no engine binary is downloaded. The database file
// lives in the data directory (CERTDECK_DATA_DIR, default ./data).
function databaseUrl(): string {
  const dataDir = path.resolve(process.env.CERTDECK_DATA_DIR ?? "data");
  return `file:${path.join(dataDir, "certdeck.db")}`;
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl() });
  },
});
