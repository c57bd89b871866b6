/**
 * `npm test`: every check the project has, in order, stopping at the first failure.
 *
 *   node scripts/test.mjs [stage...]   stages: typecheck, lint, unit, integration, build, e2e (none = all)
 *
 * Needs Pebble (unit, integration, e2e), BIND 9 (DNS-01), certbot (the import tests run the real
 * one), nginx, OpenSSH's sshd and curl (deploy targets and the pull agent) and Chromium (e2e) from
 * apt (BINARIES below); installs them when run as root, otherwise prints the apt-get line.
 * Node built-ins only.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (...parts) => path.join(root, "node_modules", ...parts);

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };

/** Every *.test.ts under `dir` (relative to the root), sorted; skips node_modules and lib/generated. */
function findTests(dir) {
  const found = [];
  const skip = new Set([path.join(root, "lib", "generated")]);
  const walk = (current) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name.startsWith(".") || skip.has(full)) continue;
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith(".test.ts")) {
        found.push(path.relative(root, full));
      }
    }
  };
  walk(path.join(root, dir));
  return found.sort();
}

/**
 * Test files run side by side, each in its own process: every integration test file makes its
 * own temporary data directory (test/support/test-database.ts) and takes free loopback ports for
 * everything it starts (Pebble, BIND, its HTTP listeners), so files share nothing but the CPU.
 * CERTDECK_TEST_CONCURRENCY overrides how many run at once (1: one after the other).
 */
const fromEnvironment = Number(process.env.CERTDECK_TEST_CONCURRENCY);
const concurrency = (atLeast) => (Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : Math.max(atLeast, availableParallelism()));

const nodeTest = (dir, filesAtOnce) => () => {
  const files = findTests(dir);
  if (files.length === 0) return { skipReason: `no *.test.ts files under ${dir}/` };
  return {
    args: [
      "--conditions=react-server", // makes the "server-only" package importable outside Next
      "--import",
      "tsx",
      "--test",
      "--test-reporter=spec",
      `--test-concurrency=${filesAtOnce}`,
      ...files,
    ],
  };
};

/** @type {Record<string, { title: string, needs: string[], command: () => { args?: string[], skipReason?: string } }>} */
const STAGES = {
  typecheck: { title: "Type check (tsc --noEmit)", needs: [], command: () => ({ args: [bin("typescript", "bin", "tsc"), "--noEmit"] }) },
  lint: {
    title: "Lint (Prettier, ESLint with the layer rules, import cycles between lib/ folders)",
    needs: [],
    command: () => ({ args: [path.join(root, "scripts", "lint.mjs")] }),
  },
  unit: { title: "Unit tests (lib/**/*.test.ts)", needs: ["pebble"], command: nodeTest("lib", concurrency(2)) },
  // Most integration files wait on the CA, on timers or on child processes rather than the CPU:
  // two at a time even on one core.
  integration: { title: "Integration tests (test/**/*.test.ts)", needs: ["pebble", "certbot", "bind", "deploy"], command: nodeTest("test", concurrency(2)) },
  build: { title: "Production build (next build)", needs: [], command: () => ({ args: [bin("next", "dist", "bin", "next"), "build"] }) },
  e2e: {
    title: "End-to-end tests (Playwright)",
    needs: ["pebble", "chromium", "bind", "deploy"],
    command: () => ({ args: [bin("@playwright", "test", "cli.js"), "test"] }),
  },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in STAGES));
if (unknown.length > 0) {
  console.error(`Unknown stage(s): ${unknown.join(", ")}. Stages: ${Object.keys(STAGES).join(", ")}`);
  process.exit(2);
}
// Always in the canonical order, each at most once.
const stages = requested.length === 0 ? Object.keys(STAGES) : Object.keys(STAGES).filter((name) => requested.includes(name));

// ---- system packages -------------------------------------------------------------------------
/** What the tests run for real, by the file that must exist and the Debian package that brings it. */
const BINARIES = {
  pebble: { "/usr/bin/pebble": "pebble", "/usr/bin/pebble-challtestsrv": "pebble", "/usr/bin/openssl": "openssl" },
  chromium: { "/usr/bin/chromium": "chromium" },
  // The import tests run the real certbot against Pebble.
  certbot: { "/usr/bin/certbot": "certbot" },
  // The DNS-01 tests run a real BIND 9 (named) and add records with nsupdate.
  bind: { "/usr/sbin/named": "bind9", "/usr/bin/nsupdate": "bind9-dnsutils" },
  // Deploy targets: a real nginx serving the files, a real sshd as the remote host, curl for the pull agent.
  deploy: { "/usr/sbin/nginx": "nginx", "/usr/sbin/sshd": "openssh-server", "/usr/bin/ssh-keygen": "openssh-client", "/usr/bin/curl": "curl" },
};

function missingBinaries() {
  const needed = stages.flatMap((name) => STAGES[name].needs).flatMap((key) => Object.entries(BINARIES[key]));
  return new Map(needed.filter(([file]) => !existsSync(file)));
}

let missing = missingBinaries();
if (missing.size > 0) {
  const files = [...missing.keys()].join(", ");
  const packages = [...new Set(missing.values())];
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    console.log(`Missing: ${files}. Installing with apt-get (${packages.join(" ")})...`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update"], ["install", "-y", ...packages]]) {
      const result = spawnSync("apt-get", args, { stdio: "inherit", env: aptEnv });
      if (result.status !== 0) {
        console.error(`apt-get ${args.join(" ")} failed (${result.error?.message ?? `exit code ${result.status}`})`);
        process.exit(1);
      }
    }
    missing = missingBinaries();
    if (missing.size > 0) {
      console.error(`Still missing after apt-get install: ${[...missing.keys()].join(", ")}`);
      process.exit(1);
    }
  } else {
    console.error(`Missing: ${files}. Install them with: sudo apt-get install -y ${packages.join(" ")}`);
    process.exit(1);
  }
}

// ---- stages ----------------------------------------------------------------------------------
let current = null;
let interrupted = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    interrupted = signal;
    if (current && current.exitCode === null && current.signalCode === null) current.kill(signal);
    else process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

function run(args) {
  return new Promise((resolve) => {
    current = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
    current.once("error", (error) => {
      console.error(`could not start: ${error.message}`);
      resolve(1);
    });
    current.once("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

const formatSeconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
for (const name of stages) {
  const stage = STAGES[name];
  console.log(`\n==== ${name}: ${stage.title} ====\n`);
  const started = Date.now();
  const { args, skipReason } = stage.command();
  let code = 0;
  if (skipReason) console.log(`(${skipReason}; nothing to run)`);
  else code = await run(args);
  current = null;
  results.push({ name, ok: code === 0, ms: Date.now() - started, note: skipReason ? "no tests" : code === 0 ? "" : `exit code ${code}` });
  if (code !== 0 || interrupted) break;
}

console.log("\n==== Summary ====");
for (const name of stages) {
  const result = results.find((r) => r.name === name);
  const status = !result ? "not run" : result.ok ? "passed" : "FAILED";
  const detail = result ? `${formatSeconds(result.ms).padStart(8)}${result.note ? `  (${result.note})` : ""}` : "";
  console.log(`  ${name.padEnd(12)} ${status.padEnd(8)} ${detail}`.trimEnd());
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (interrupted) console.log(`(interrupted by ${interrupted})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || interrupted ? 1 : 0);
