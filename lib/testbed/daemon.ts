/**
 * A server process a testbed starts and stops (named, nginx, sshd): its output goes straight to
 * a log file (no pipes to drain, nothing lost if the test run crashes), it is killed if the test
 * run exits first (so it never keeps holding a port), and `stop()` asks it to end and kills it
 * if it does not within three seconds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface Daemon {
  readonly child: ChildProcess;
  /** True once the process has exited or failed to start. */
  readonly hasExited: boolean;
  /** Resolves once the process has exited or failed to start. */
  readonly exit: Promise<void>;
  /** Sends the stop signal, SIGKILL after 3 s; resolves when the process is gone. Once: later calls share the first. */
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Where stdout and stderr are appended. */
  logPath: string;
  cwd?: string;
  /** The signal that asks for a graceful stop; default SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

const KILL_AFTER_MS = 3000;

export function startDaemon(bin: string, args: string[], { logPath, cwd, stopSignal = "SIGTERM" }: DaemonOptions): Daemon {
  const fd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { cwd, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  let hasExited = false;
  const exit = new Promise<void>((resolve) => {
    const onEnd = () => {
      hasExited = true;
      resolve();
    };
    child.once("exit", onEnd);
    child.once("error", onEnd);
  });
  const onProcessExit = () => {
    if (!hasExited) child.kill("SIGKILL");
  };
  process.on("exit", onProcessExit);

  let stopping: Promise<void> | null = null;
  return {
    child,
    get hasExited() {
      return hasExited;
    },
    exit,
    stop: () =>
      (stopping ??= (async () => {
        if (!hasExited) {
          child.kill(stopSignal);
          const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
          await exit;
          clearTimeout(timer);
        }
        process.removeListener("exit", onProcessExit);
      })()),
  };
}
