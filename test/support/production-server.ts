/**
 * The dashboard's production server (scripts/server.mjs over the `next build` output, with the
 * Node flags `npm start` uses) on a loopback port with its own data directory, for the dashboard
 * benchmark and the end-to-end tests: started, waited for (until /api/health answers), measured
 * (resident memory from /proc) and stopped. Its output goes to a log file, or to this process's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { waitFor } from "../../lib/testbed/wait-for";
import { ensureBuilt, isBuilt, projectRoot, SERVER_NODE_FLAGS, serverScript } from "../../scripts/next-server.mjs";

export interface ProductionServer {
  baseUrl: string;
  pid: number;
  /** Where its output goes ("inherit": this process's stdout and stderr). */
  logPath: string;
  /** Resolves when the server has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory of the server and every process it started, in MiB (VmRSS from /proc). */
  residentMiB(): number;
  /** Peak resident memory (VmHWM) of the same processes, in MiB. */
  peakResidentMiB(): number;
  /**
   * The largest sum of VmHWM over the server and its child processes seen while it started
   * (sampled every 20 ms until it answered), in MiB: start-up children (such as a migration
   * run) that have exited by now count too.
   */
  startupPeakTreeMiB: number;
  stop(): Promise<void>;
}

/** Builds the app with `next build` when there is no production build yet (about a minute). */
export async function ensureProductionBuild(say: (line: string) => void): Promise<void> {
  if (isBuilt()) return;
  say("no production build (.next/BUILD_ID) yet: running `next build` once...");
  await ensureBuilt();
}

function statusField(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants, from /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) {
    try {
      for (const task of readdirSync(`/proc/${tree[index]}/task`)) {
        const children = readFileSync(`/proc/${tree[index]}/task/${task}/children`, "utf8").trim();
        if (children) tree.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return tree;
}

export async function startProductionServer(options: {
  port: number;
  env: Record<string, string>;
  /** A log file (appended to), or "inherit". */
  logPath: string;
  timeoutMs?: number;
  /** Node flags after the server's own (e.g. --cpu-prof for a profile). */
  extraNodeFlags?: string[];
  /** Another checkout with its own build (to compare two versions of the server); default: this one. */
  projectRoot?: string;
}): Promise<ProductionServer> {
  const log = options.logPath === "inherit" ? "inherit" : openSync(options.logPath, "a");
  let child: ChildProcess;
  try {
    // Started as `npm start` starts it (scripts/next-server.mjs), with the same Node flags.
    const root = options.projectRoot ?? projectRoot;
    child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.extraNodeFlags ?? []), path.join(root, path.relative(projectRoot, serverScript))], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        ...options.env,
        PORT: String(options.port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", log, log],
    });
  } finally {
    if (typeof log === "number") closeSync(log);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const timeoutMs = options.timeoutMs ?? 90_000;
  const sumOver = (field: string) => processTree(child.pid!).reduce((total, pid) => total + statusField(pid, field), 0) / 1024;
  let startupPeakTreeMiB = 0;
  const sampler = setInterval(() => {
    startupPeakTreeMiB = Math.max(startupPeakTreeMiB, sumOver("VmHWM"));
  }, 20);
  const seeLog = options.logPath === "inherit" ? "see its output above" : `see ${options.logPath}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the server exited (${child.signalCode ?? `exit code ${child.exitCode}`}); ${seeLog}`);
        // Not listening yet: connection refused, or no answer within 2 s.
        const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
        return response?.ok;
      },
      { timeoutMs, intervalMs: 200, what: `the server to answer ${baseUrl}/api/health (${seeLog})` },
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearInterval(sampler);
  }
  startupPeakTreeMiB = Math.max(startupPeakTreeMiB, sumOver("VmHWM"));
  return {
    baseUrl,
    pid: child.pid!,
    logPath: options.logPath,
    exited,
    residentMiB: () => sumOver("VmRSS"),
    peakResidentMiB: () => sumOver("VmHWM"),
    startupPeakTreeMiB,
    stop,
  };
}
