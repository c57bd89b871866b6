/**
 * `npm run bench:issue`: one two-name certificate, end to end, as its user sees it. Against a
 * local Pebble (PEBBLE_VA_NOSLEEP=1), in turns run by run on the same Pebble:
 *
 * - CertDeck: the production server (scripts/server.mjs as `npm start` runs it, with its Node
 *   flags) driven over HTTP with an API token: POST /api/v1/certificates, then the job followed
 *   through the API (the long poll GET /jobs/{id}?wait= where the server has it, else asking
 *   every 50 ms) until it reports succeeded, and fullchain.pem readable on disk. The clock runs
 *   from the POST to both.
 * - certbot `certonly --standalone` and lego `run`, when installed: from process start to exit
 *   (their files are written when they exit), as a script or cron job runs them.
 *
 * Every client has its ACME account registered before timing and one untimed warm-up run. The
 * order of the three rotates from run to run, so none always runs after another. Also reported:
 * the server's CPU time per issuance and per API request, its job time, and its peak resident
 * memory since start-up (VmHWM).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { livePaths } from "../../lib/protocol/lineage/lineage-files";
import { findFreePort } from "../../lib/testbed/pebble-testbed";
import { parseFlags } from "./support/args";
import { certbotCertonly, certbotRegister, certbotWorkspace, certbotWorkspaceWithAccount, findExecutable, legoRun } from "./support/peers";
import { defaultOutputPath, publishReport, verdict, type Figure } from "./support/report";
import { startServerBench, type ServerBench } from "./support/server-bench";
import { formatDuration, formatRatio, round, summarize, type Summary } from "./support/stats";

const TARGET_RATIO = 0.06;
/** Requests per kind when the server's CPU time per request is measured. */
const CPU_SAMPLE_REQUESTS = 100;

const flags = parseFlags("npm run bench:issue --", {
  values: {
    runs: { default: "10", help: "timed runs of each client, in turns (after one warm-up each)" },
    peers: { default: "certbot,lego", help: "which peers take turns with CertDeck (comma-separated)" },
    output: { default: defaultOutputPath("issue"), help: 'JSON results file ("none" to write nothing)' },
    "server-root": { default: "", help: "measure the server of another checkout with its own build (to compare two versions); default: this one" },
  },
  switches: { "skip-peers": "do not run certbot and lego" },
});
const runs = flags.integer("runs", { min: 1 });
const peers = new Set(
  flags.isSet("skip-peers")
    ? []
    : flags
        .value("peers")
        .split(",")
        .map((peer) => peer.trim())
        .filter(Boolean),
);
for (const peer of peers) {
  if (peer !== "certbot" && peer !== "lego") {
    console.error(`--peers takes certbot and/or lego, not "${peer}"`);
    process.exit(2);
  }
}

/** Two new names per client and run (every run orders new ones; Pebble reuses no authorization). */
const namesOf = (client: string, index: number) => [`site${index}.${client}.issue.bench.test`, `www.site${index}.${client}.issue.bench.test`];

const say = (line: string) => console.log(`[bench:issue] ${line}`);

interface CertDeckRun {
  /** POST → job succeeded through the API and fullchain.pem readable. */
  totalMs: number;
  /** The job's own time on the server (startedAt → finishedAt). */
  jobMs: number;
  /** Server CPU time over the run (request, job, answers to the CA, the waiting requests). */
  serverCpuMs: number;
  requests: number;
}

/** One issuance as a script drives it, with the clock stopped when the script can use the result. */
async function issueThroughApi(bench: ServerBench, index: number): Promise<CertDeckRun> {
  const names = namesOf("certdeck", index);
  const fullchain = livePaths(bench.certificatesDir, names[0]).fullchain;
  const cpuBefore = bench.serverCpuMs();
  const started = performance.now();
  const created = await bench.api<{ certificate: { id: string; name: string }; job: { id: string } }>("POST", "/certificates", {
    names,
    challengeMethod: "http-01-app",
    accountId: bench.accountId,
    keyType: "ec-p256",
  });
  const { job, requests } = await bench.waitForJob(created.job.id);
  // The job writes the files before it finishes, so this normally reads them at the first try.
  for (let attempt = 0; ; attempt++) {
    const pem = await readFile(fullchain, "utf8").catch(() => "");
    if (pem.includes("-----BEGIN CERTIFICATE-----")) break;
    if (attempt > 2000) throw new Error(`the job succeeded but ${fullchain} was not written within 10 s`);
    await delay(5);
  }
  const totalMs = performance.now() - started;
  // The server's CPU time is read once its answers are sent (the 10 ms clock ticks of /proc).
  await delay(20);
  const serverCpuMs = bench.serverCpuMs() - cpuBefore;
  const jobMs = new Date(job.finishedAt!).getTime() - new Date(job.startedAt!).getTime();
  return { totalMs, jobMs, serverCpuMs, requests: requests + 1 };
}

interface Client {
  name: "CertDeck" | "certbot" | "lego";
  /** Untimed: account registration where needed, first run. */
  warmUp(): Promise<void>;
  /** One timed run; returns its wall time in ms. */
  run(index: number): Promise<number>;
}

/** Server CPU time per request of one kind, over CPU_SAMPLE_REQUESTS requests (after five untimed ones). */
async function serverCpuPerRequest(bench: ServerBench, request: () => Promise<unknown>): Promise<number> {
  for (let index = 0; index < 5; index++) await request();
  await delay(50);
  const before = bench.serverCpuMs();
  for (let index = 0; index < CPU_SAMPLE_REQUESTS; index++) await request();
  await delay(50);
  return (bench.serverCpuMs() - before) / CPU_SAMPLE_REQUESTS;
}

const workRoot = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-issue-peers-"));
const bench = await startServerBench({ label: "bench-issue", serverProjectRoot: flags.value("server-root") || undefined });
let exitCode = 0;
try {
  const { relay, server } = bench;
  const startupPeakMiB = server.startupPeakTreeMiB;
  const serverPort = Number(new URL(server.baseUrl).port);
  const certdeckRuns: CertDeckRun[] = [];
  const clients: Client[] = [
    {
      name: "CertDeck",
      warmUp: async () => {
        relay.setTarget(serverPort);
        await issueThroughApi(bench, 0);
      },
      run: async (index) => {
        relay.setTarget(serverPort);
        const run = await issueThroughApi(bench, index);
        certdeckRuns.push(run);
        return run.totalMs;
      },
    },
  ];
  const certbot = peers.has("certbot") ? findExecutable("certbot") : null;
  if (certbot) {
    const port = await findFreePort();
    const template = await certbotWorkspace(path.join(workRoot, "certbot-account"), bench.harness.pebble);
    clients.push({
      name: "certbot",
      warmUp: async () => {
        relay.setTarget(port);
        await certbotRegister(certbot, template);
        const workspace = await certbotWorkspaceWithAccount(workRoot, template, bench.harness.pebble);
        await certbotCertonly(certbot, workspace, bench.harness.pebble, namesOf("certbot", 0), port);
      },
      run: async (index) => {
        relay.setTarget(port);
        // A fresh configuration directory each run (no lineage to renew), with the account in it.
        const workspace = await certbotWorkspaceWithAccount(workRoot, template, bench.harness.pebble);
        return certbotCertonly(certbot, workspace, bench.harness.pebble, namesOf("certbot", index), port);
      },
    });
  }
  const lego = peers.has("lego") ? findExecutable("lego") : null;
  if (lego) {
    const port = await findFreePort();
    const legoPath = path.join(workRoot, "lego");
    clients.push({
      name: "lego",
      warmUp: async () => {
        relay.setTarget(port);
        await legoRun(lego, legoPath, bench.harness.pebble, namesOf("lego", 0), port);
      },
      run: async (index) => {
        relay.setTarget(port);
        return legoRun(lego, legoPath, bench.harness.pebble, namesOf("lego", index), port);
      },
    });
  }

  say(`warm-up (untimed): ${clients.map((client) => client.name).join(", ")}...`);
  for (const client of clients) await client.warmUp();
  const times = new Map<Client["name"], number[]>(clients.map((client) => [client.name, []]));
  for (let index = 1; index <= runs; index++) {
    // Rotate who goes first, so no client always follows the same one.
    const order = clients.map((_, position) => clients[(position + index - 1) % clients.length]);
    const line: string[] = [];
    for (const client of order) {
      const ms = await client.run(index);
      times.get(client.name)!.push(ms);
      line.push(`${client.name} ${formatDuration(ms)}`);
    }
    say(`run ${index}/${runs}: ${line.join(", ")}`);
  }
  relay.setTarget(serverPort);

  // The cost of single requests on the server, after the runs (the server is warm).
  const anyJob = await bench.api<{ job: { id: string } }>("POST", "/certificates", {
    names: namesOf("certdeck", runs + 1),
    challengeMethod: "http-01-app",
    accountId: bench.accountId,
    keyType: "ec-p256",
  });
  const lastJobId = anyJob.job.id;
  await bench.waitForJob(lastJobId);
  const cpuPerJobRequest = await serverCpuPerRequest(bench, () => bench.api("GET", `/jobs/${lastJobId}`));
  const cpuPerHealthCheck = await serverCpuPerRequest(bench, () => fetch(`${server.baseUrl}/api/health`).then((response) => response.text()));
  const peakMiB = bench.peakResidentMiB();

  const certdeck = summarize(times.get("CertDeck")!);
  const jobTimes = summarize(certdeckRuns.map((run) => run.jobMs));
  const serverCpu = summarize(certdeckRuns.map((run) => run.serverCpuMs));
  const requestsPerRun = summarize(certdeckRuns.map((run) => run.requests));
  const waitMode = bench.jobWaitMode() ?? "unknown";
  const peerSummary = (name: "certbot" | "lego") => (times.has(name) ? summarize(times.get(name)!) : null);
  const spread = (summary: Summary) =>
    `${formatDuration(summary.median)} (${formatDuration(summary.min)}–${formatDuration(summary.max)}, p90 ${formatDuration(summary.p90)})`;
  const peerFigures = (name: "certbot" | "lego"): Figure[] => {
    const summary = peerSummary(name);
    const status = !peers.has(name) ? "skipped" : "not installed";
    const ratio = summary ? certdeck.median / summary.median : Number.NaN;
    return [
      { label: `${name}: median (min–max, p90) of ${summary?.runs.length ?? 0} runs`, value: summary ? spread(summary) : status },
      {
        label: `Ratio CertDeck / ${name} (medians)`,
        value: formatRatio(ratio),
        ...(name === "certbot" ? { target: `≤ ${formatRatio(TARGET_RATIO)}`, verdict: verdict(Number.isFinite(ratio), ratio <= TARGET_RATIO) } : {}),
      },
    ];
  };
  const megabytes = (mebibytes: number) => (mebibytes * 1024 * 1024) / 1e6;
  const figures: Figure[] = [
    { label: `CertDeck: POST → job succeeded (API) and fullchain.pem on disk, median (min–max, p90) of ${runs}`, value: spread(certdeck) },
    ...peerFigures("certbot"),
    ...peerFigures("lego"),
    { label: "CertDeck server: job time (started → finished), median", value: formatDuration(jobTimes.median) },
    { label: "CertDeck server: CPU time per issuance (job, CA's fetches, API requests), median", value: formatDuration(serverCpu.median) },
    {
      label: `CertDeck server: CPU time per GET /api/v1/jobs/{id} / per GET /api/health (mean of ${CPU_SAMPLE_REQUESTS})`,
      value: `${formatDuration(cpuPerJobRequest)} / ${formatDuration(cpuPerHealthCheck)}`,
    },
    {
      label: "CertDeck server: peak resident memory, start-up (with its child processes) / whole run (VmHWM)",
      value: `${megabytes(startupPeakMiB).toFixed(0)} MB / ${megabytes(peakMiB).toFixed(0)} MB`,
      target: "≤ 300 MB",
      verdict: verdict(true, megabytes(Math.max(startupPeakMiB, peakMiB)) <= 300),
    },
  ];
  const certbotSummary = peerSummary("certbot");
  const legoSummary = peerSummary("lego");
  await publishReport(
    {
      name: "issue",
      title: "bench:issue: one two-name certificate (HTTP-01), end to end through the production server, against Pebble (PEBBLE_VA_NOSLEEP=1)",
      settings: {
        runs,
        clients: clients.map((client) => client.name).join(", "),
        order: "rotating run by run",
        keyType: "ECDSA P-256",
        names: 2,
        waitingForTheJob: waitMode,
        server: flags.value("server-root") || "this checkout",
      },
      figures,
      data: {
        certdeck: {
          totalMs: certdeck,
          jobMs: jobTimes,
          serverCpuMs: serverCpu,
          requestsPerIssuance: requestsPerRun,
          serverCpuPerJobRequestMs: round(cpuPerJobRequest, 2),
          serverCpuPerHealthCheckMs: round(cpuPerHealthCheck, 2),
          serverPeakResidentMB: { afterStartup: round(megabytes(startupPeakMiB)), atEnd: round(megabytes(peakMiB)) },
          waitingForTheJob: waitMode,
        },
        certbot: certbotSummary ?? { status: peers.has("certbot") ? "not installed" : "skipped" },
        lego: legoSummary ?? { status: peers.has("lego") ? "not installed" : "skipped" },
        ratioCertbot: certbotSummary ? round(certdeck.median / certbotSummary.median, 4) : null,
        ratioLego: legoSummary ? round(certdeck.median / legoSummary.median, 4) : null,
        target: TARGET_RATIO,
      },
      notes: [
        `CertDeck runs (ms): ${certdeck.runs.join(", ")}; it waited for the job by ${waitMode}, ${requestsPerRun.median} requests per issuance (median).`,
        "Pebble validates on one port; a TCP relay in the benchmark passes its connections to whoever's turn it is (the server, certbot's or lego's listener), so every client pays the same hop.",
        "certbot and lego are timed from process start to exit, as a script or cron job runs them; CertDeck is a running server. Server CPU time is read from /proc (10 ms ticks). Peak memory: during start-up, the largest sum of VmHWM over the server and its child processes (sampled every 20 ms); for the whole run, the server process's VmHWM (MB = 10^6 bytes).",
      ],
    },
    flags.value("output"),
  );
} catch (error) {
  console.error(`[bench:issue] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  await bench.stop();
  await rm(workRoot, { recursive: true, force: true });
}
process.exit(exitCode);
