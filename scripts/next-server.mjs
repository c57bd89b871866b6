/**
 * Shared by scripts/start.mjs (`npm start`) and scripts/demo.ts (`npm run demo`): build the app
 * once when there is no production build yet, then run `next start` as a child process that
 * receives our SIGINT/SIGTERM. Node built-ins only.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in <root>/scripts). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Next's CLI, run with the current Node binary (no shell, no npx). */
export const nextBin = path.join(projectRoot, "node_modules", "next", "dist", "bin", "next");

/** Written by `next build` last, so its presence means a complete production build. */
export const buildIdPath = path.join(projectRoot, ".next", "BUILD_ID");

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ExitInfo
 * @typedef {{
 *   child: import("node:child_process").ChildProcess,
 *   exited: Promise<ExitInfo>,
 *   stop(signal?: NodeJS.Signals): void,
 * }} RunningChild
 */

/** @param {Record<string, string | undefined>} [env] */
function childEnv(env = {}) {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env };
}

/**
 * Node flags for the production server: V8 collects garbage sooner (the old space may grow 20%
 * past what survived the last full collection; the young space stays at 4 MB). With V8's
 * defaults, steady page views let the server grow past 550 MB before a full collection; with
 * these it stays near 250 MB with 10,000 certificates, for about 4% more CPU (npm run
 * bench:dashboard, bench:renew). Not a hard limit: nothing is ever refused memory.
 */
export const SERVER_NODE_FLAGS = ["--heap-growing-percent=20", "--max-semi-space-size=4"];

/**
 * Spawns `node [...nodeFlags] <next> ...args` in the project root with inherited stdio. While it
 * runs, SIGINT and SIGTERM sent to this process are passed on to it (this process then waits for
 * it to exit instead of dying first and orphaning it).
 *
 * @param {string[]} args
 * @param {Record<string, string | undefined>} [env]
 * @param {string[]} [nodeFlags]
 * @returns {RunningChild}
 */
export function runNext(args, env, nodeFlags = []) {
  return runNode([...nodeFlags, nextBin, ...args], env);
}

/**
 * Spawns `node ...args` in the project root, passing SIGINT and SIGTERM on (see runNext).
 *
 * @param {string[]} args
 * @param {Record<string, string | undefined>} [env]
 * @returns {RunningChild}
 */
export function runNode(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: childEnv(env),
    stdio: "inherit",
  });
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  };
  const signals = /** @type {const} */ (["SIGINT", "SIGTERM"]);
  for (const signal of signals) process.on(signal, forward);
  /** @type {Promise<ExitInfo>} */
  const exited = new Promise((resolve) => {
    const done = (/** @type {ExitInfo} */ info) => {
      for (const signal of signals) process.off(signal, forward);
      resolve(info);
    };
    child.once("exit", (code, signal) => done({ code, signal }));
    child.once("error", (error) => {
      console.error(`could not run next: ${error.message}`);
      done({ code: 1, signal: null });
    });
  });
  return { child, exited, stop: (signal = "SIGTERM") => forward(signal) };
}

/**
 * The exit code a wrapper should use for a child that ended this way (128 + n for a signal, as
 * a shell would report it).
 *
 * @param {ExitInfo} info
 */
export function exitCodeOf({ code, signal }) {
  if (signal) return 128 + (osConstants.signals[signal] ?? 0);
  return code ?? 1;
}

/** True when a production build exists. */
export function isBuilt() {
  return existsSync(buildIdPath);
}

/**
 * Runs `next build` when .next/BUILD_ID is missing. Resolves once a build exists; rejects with
 * an Error carrying `exitCode` when the build fails or is interrupted.
 *
 * @param {{ env?: Record<string, string | undefined> }} [options]
 * @returns {Promise<void>}
 */
export async function ensureBuilt({ env } = {}) {
  if (isBuilt()) return;
  console.log("[certdeck] No production build yet: building the app once with `next build` (the first start takes about a minute)...");
  const info = await runNext(["build"], env).exited;
  if (info.code === 0 && isBuilt()) return;
  const error = new Error(info.signal ? `next build was interrupted (${info.signal})` : `next build failed (exit code ${info.code})`);
  /** @type {Error & { exitCode?: number }} */ (error).exitCode = info.code === 0 ? 1 : exitCodeOf(info);
  throw error;
}

/** CertDeck's server (Next.js behind node:http, see scripts/server.mjs). */
export const serverScript = path.join(projectRoot, "scripts", "server.mjs");

/**
 * Starts scripts/server.mjs on <host>:<port> as a child process. Migrations, the admin seed and
 * the job runner are started by the app itself (instrumentation.ts).
 *
 * @param {{ port?: number | string, host?: string, env?: Record<string, string | undefined> }} [options]
 * @returns {RunningChild}
 */
export function startNextServer({ port = process.env.PORT || 3000, host = process.env.HOST || "0.0.0.0", env } = {}) {
  return runNode([...SERVER_NODE_FLAGS, serverScript], { NODE_ENV: "production", ...env, PORT: String(port), HOST: host });
}
