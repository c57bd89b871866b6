// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
// schema in git HEAD and the working copy. (`prisma migrate dev` needs a shadow database, which
// the JavaScript engine used here does not provide.) Usage: npm run db:migration -- <name>
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
const scratch = mkdtempSync(path.join(os.tmpdir(), "certdeck-schema-"));
const previous = path.join(scratch, "schema.prisma");
writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
const sql = execFileSync(
  process.execPath,
  ["node_modules/prisma/build/index.js", "migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  // prisma.config.ts opens a database in the data directory; a scratch one will do for a diff.
  { encoding: "utf8", env: { ...process.env, CERTDECK_DATA_DIR: scratch } },
);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const directory = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(directory, { recursive: true });
writeFileSync(path.join(directory, "migration.sql"), sql);
console.log(`wrote ${directory}/migration.sql; review it, then restart the app to apply it`);
