import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

/**
 * bench:issue and bench:renew with tiny sizes, so they cannot rot: each must finish, print its
 * figure table and write its JSON. No timing is asserted (figures are for people to read).
 * bench:dashboard needs the production build: its smoke run is e2e/benchmarks-smoke.spec.ts.
 */
function runBenchmark(name: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join("scripts", "bench", "run.mjs"), name, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("benchmarks (smoke runs with tiny sizes)", () => {
  const resultDirs: string[] = [];
  const resultsFile = async (name: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-smoke-"));
    resultDirs.push(dir);
    return path.join(dir, `${name}.json`);
  };
  after(async () => {
    for (const dir of resultDirs) await rm(dir, { recursive: true, force: true });
  });

  it("bench:issue issues through the production server's REST API in turns with certbot", async () => {
    const results = await resultsFile("issue");
    const { code, output } = await runBenchmark("issue", ["--runs", "2", "--peers", "certbot", "--output", results]);
    assert.equal(code, 0, output);
    assert.match(output, /\| CertDeck: POST → job succeeded \(API\) and fullchain\.pem on disk, median \(min–max, p90\) of 2 +\| \d/);
    assert.match(output, /\| certbot: median \(min–max, p90\) of 2 runs +\| \d/);
    assert.match(output, /\| Ratio CertDeck \/ certbot \(medians\) +\| [\d.]+× +\| ≤ 0\.060× +\| (reached|gap) +\|/);
    assert.match(
      output,
      /\| CertDeck server: peak resident memory, start-up \(with its child processes\) \/ whole run \(VmHWM\) +\| \d+ MB \/ \d+ MB +\| ≤ 300 MB +\| (reached|gap) +\|/,
    );
    assert.match(output, /^Machine: .+ cores, .+ RAM/m);
    const json = JSON.parse(await readFile(results, "utf8"));
    assert.equal(json.benchmark, "issue");
    assert.equal(json.data.certdeck.totalMs.runs.length, 2);
    assert.equal(json.data.certbot.runs.length, 2);
    assert.equal(json.data.lego.status, "skipped");
  });

  it("bench:renew renews due certificates through the production server's scheduler and certbot renews its lineages", async () => {
    const results = await resultsFile("renew");
    const { code, output } = await runBenchmark("renew", ["--certificates", "3", "--rounds", "2", "--certbot-lineages", "1", "--output", results]);
    assert.equal(code, 0, output);
    assert.match(output, /\| CertDeck: 3 renewals, scheduler tick → last renew job finished, median \(min–max, p90\) of 2 +\| \d/);
    assert.match(output, /\| certbot renew --force-renewal, 1 lineages, median of 1 +\| \d/);
    assert.match(output, /\| Ratio CertDeck \/ certbot +\| [\d.]+× +\| ≤ 0\.025× \(1\/40\) +\| (reached|gap) +\|/);
    assert.match(output, /renewal concurrency 8, job runner concurrency 12/);
    const json = JSON.parse(await readFile(results, "utf8"));
    assert.equal(json.benchmark, "renew");
    assert.equal(json.data.certdeck.rounds.length, 2);
    assert.equal(json.data.certdeck.renewJobs, 6, "three certificates renewed twice");
    assert.equal(json.data.certbot.lineages, 1);
  });
});
