// The dashboard under test: the production build on a fresh data directory, as a user runs it.
import { rmSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";

const dataDir = path.resolve(".test-runtime", "e2e", "data");
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", process.env.PORT, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: { ...process.env, CERTDECK_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", CERTDECK_TIME_ZONE: "UTC" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
