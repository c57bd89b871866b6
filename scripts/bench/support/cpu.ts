/** CPU time of this process and of other processes (from /proc), to tell where a benchmark's time goes. */
import { readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in ms, from /proc/<pid>/stat; null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Starts counting CPU time of this process and of `pids`; the returned function reads the totals so far. */
export function startCpuMeter(pids: Record<string, number>): () => Record<string, number> {
  const ownStart = process.cpuUsage();
  const starts = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid) ?? 0]));
  return () => {
    const own = process.cpuUsage(ownStart);
    const result: Record<string, number> = { thisProcess: (own.user + own.system) / 1000 };
    for (const [name, pid] of Object.entries(pids)) result[name] = (processCpuMs(pid) ?? starts[name]) - starts[name];
    return result;
  };
}
