/**
 * `npm run lint`: Prettier's check of the formatting (`npm run format` fixes it), ESLint (with the
 * layer rules of eslint.config.mjs and the thin-app rule) and the check that lib/ folders import
 * each other in no cycle. Stops at the first that fails.
 * Node built-ins only.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const checks = [
  ["Prettier (run npm run format)", [path.join(root, "node_modules", "prettier", "bin", "prettier.cjs"), "--check", "--log-level=warn", "."]],
  ["ESLint", [path.join(root, "node_modules", "eslint", "bin", "eslint.js"), "--max-warnings=0"]],
  ["import cycles", [path.join(root, "scripts", "check-import-cycles.mjs")]],
];

for (const [name, args] of checks) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`lint: ${name} failed`);
    process.exit(result.status ?? 1);
  }
}
