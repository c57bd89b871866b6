import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * bench:dashboard with tiny sizes, so it cannot rot. It starts the production server itself, so
 * it runs here, after `next build` (bench:issue and bench:renew: test/benchmarks-smoke.test.ts).
 * It must finish and print its figures; no timing is asserted.
 */
test("bench:dashboard seeds two small fleets, times the pages, memory and a scheduler tick", async () => {
  test.setTimeout(120_000);
  const resultsDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-smoke-"));
  const results = path.join(resultsDir, "dashboard.json");
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["scripts/bench/run.mjs", "dashboard", "--certificates", "3,30", "--requests", "2", "--warmup", "1", "--ticks", "1", "--soak", "4", "--output", results],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve({ code: exitCode, output: text }));
  });
  expect(code, output).toBe(0);
  expect(output).toMatch(/\| Overview \/ \(\/\), 30: median \(p90\) +\| \d/);
  expect(output).toMatch(/\| Certificates list, last page \(\/\?page=2\), 30: median \(p90\) +\| \d/);
  expect(output).toMatch(/\| Overview \/: 30 \/ 3 +\| [\d.]+× +\| ≤ 2× +\| (reached|gap) +\|/);
  expect(output).toMatch(/\| Server resident memory \(VmRSS\), 30 \(peak VmHWM\) +\| \d+ MB \(\d+ MB\) +\| ≤ 300 MB +\| (reached|gap) +\|/);
  expect(output).toMatch(/\| Scheduler tick CPU, 30 \(\d+ ARI checks\/tick\): median \(wall\) +\| \d/);
  const json = JSON.parse(await readFile(results, "utf8"));
  await rm(resultsDir, { recursive: true, force: true });
  expect(json.benchmark).toBe("dashboard");
  expect(json.data.sizes.map((size: { rows: { certificates: number } }) => size.rows.certificates)).toEqual([3, 30]);
});
