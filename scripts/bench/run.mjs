/**
 * `npm run bench:<name> -- [flags]`: runs scripts/bench/<name>.ts. The benchmarks measure the
 * production server (scripts/server.mjs, started as `npm start` starts it); what they run in
 * their own process (bench:dashboard's scheduler ticks) gets the server's Node flags
 * (scripts/next-server.mjs), so it behaves as it does inside the server. Node built-ins only.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot, SERVER_NODE_FLAGS } from "../next-server.mjs";

const [name, ...args] = process.argv.slice(2);
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.ts`);
if (!name || !/^[a-z-]+$/.test(name) || !existsSync(script)) {
  console.error("Usage: node scripts/bench/run.mjs <issue|renew|dashboard> [flags] (--help lists a benchmark's flags)");
  process.exit(2);
}

const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--conditions=react-server", "--import", "tsx", script, ...args], {
  cwd: projectRoot,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  stdio: "inherit",
});
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => child.kill(signal));
}
child.once("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
