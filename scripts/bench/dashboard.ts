/**
 * `npm run bench:dashboard`: a fleet of 100 and then 10,000 certificates (versions and job
 * history included) seeded into a fresh database; for each size, the production server
 * (scripts/server.mjs as `npm start` runs it, with its Node flags; `next build` runs first when
 * there is no build) is started and signed in to,
 * and the benchmark times the overview and the certificates list (server response, median of 20
 * after a warm-up), reads the server's resident memory, and measures the CPU time of one
 * scheduler tick (the real runSchedulerTick, in this process, on the same database).
 * Targets: pages at 10,000 at most 2× their time at 100, resident memory at most 300 MB, a tick
 * at most 50 ms of CPU.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { encryptSecret } from "../../lib/data/secret-box";
import { hashPassword } from "../../lib/domain/auth/password";
import { createSessionRecord } from "../../lib/domain/auth/session-store";
import { runSchedulerTick } from "../../lib/jobs/scheduler";
import { ariCertIdOf } from "../../lib/protocol/acme/ari";
import { generateAccountKeyPem } from "../../lib/protocol/acme/client";
import { readCertificateFacts } from "../../lib/protocol/x509/x509";
import { findFreePort } from "../../lib/testbed/pebble-testbed";
import { startAppHarness } from "../../test/support/app-harness";
import { parseFlags } from "./support/args";
import { SERVER_NODE_FLAGS } from "../next-server.mjs";
import { startProductionServer, ensureProductionBuild } from "../../test/support/production-server";
import { defaultOutputPath, publishReport, verdict, type Figure } from "./support/report";
import { seedFleet } from "./support/seed-fleet";
import { formatDuration, formatRatio, median, round, summarize, type Summary } from "./support/stats";

const TARGETS = { pageRatio: 2, residentMB: 300, tickCpuMs: 50 };

const flags = parseFlags("npm run bench:dashboard --", {
  values: {
    certificates: { default: "100,10000", help: "fleet sizes, smallest first (the first and last are compared)" },
    requests: { default: "20", help: "timed requests per page and size" },
    warmup: { default: "5", help: "untimed requests per page first" },
    ticks: { default: "5", help: "timed scheduler ticks per size (after two warm-up ticks)" },
    soak: { default: "200", help: "further page views before resident memory is read (steady state, not a fresh server)" },
    output: { default: defaultOutputPath("dashboard"), help: 'JSON results file ("none" to write nothing)' },
  },
  switches: {},
});
const sizes = flags.integers("certificates");
if (sizes.some((size, index) => index > 0 && size <= sizes[index - 1])) {
  console.error("--certificates must list sizes from smallest to largest, e.g. 100,10000");
  process.exit(2);
}
const requests = flags.integer("requests", { min: 1 });
const warmup = flags.integer("warmup", { min: 0 });
const tickRuns = flags.integer("ticks", { min: 1 });
const soak = flags.integer("soak", { min: 0 });
const PAGE_SIZE = 25;

const say = (line: string) => console.log(`[bench:dashboard] ${line}`);

interface SizeResult {
  certificates: number;
  seedMs: number;
  rows: Record<string, number>;
  pages: Record<string, { path: string; summary: Summary }>;
  residentMiB: number;
  peakResidentMiB: number;
  tickCpu: Summary;
  tickWall: Summary;
  /** renewalInfo (ARI) checks each timed tick made. */
  checksPerTick: number[];
}

await ensureProductionBuild(say);

/** lib/web/session.ts's cookie (that module needs Next's request scope, so it is not imported here). */
const SESSION_COOKIE = "certdeck_session";

// The seeded account points at a real CA (the harness's Pebble), so the scheduler's ARI refresh
// talks to a directory. The jobs are not run here: the benchmark times pages and ticks.
const app = await startAppHarness({ label: "bench-dashboard", runner: false });
const { dataDir, pebble } = app;
const { db } = app.modules;
const webhookSink = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => response.writeHead(204).end());
});
await new Promise<void>((resolve) => webhookSink.listen(0, "127.0.0.1", resolve));
const results: SizeResult[] = [];
let exitCode = 0;
try {
  const certsDir = path.dirname(pebble.httpsCaPath);
  const chainPem = `${(await readFile(path.join(certsDir, "https-leaf.pem"), "utf8")).trim()}\n${pebble.httpsCaPem.trim()}\n`;
  const account = await db.acmeAccount.create({
    data: {
      label: "Pebble (benchmark)",
      directoryUrl: pebble.directoryUrl,
      email: "bench@example.test",
      accountKeyEnc: encryptSecret(await generateAccountKeyPem()),
      accountUrl: pebble.directoryUrl.replace(/\/dir$/, "/my-account/bench"),
      status: "valid",
      termsAgreedAt: new Date(),
      caBundlePem: pebble.httpsCaPem,
      privateNetwork: true,
    },
    select: { id: true },
  });
  const material = {
    accountId: account.id,
    chainPem,
    privateKeyEnc: encryptSecret(await readFile(path.join(certsDir, "https-leaf.key"), "utf8")),
    issuer: readCertificateFacts(chainPem).issuer,
    ariCertId: ariCertIdOf(chainPem),
  };
  // A configured notification channel (a webhook into this process), as a real fleet has: expiry
  // warnings go out once, and every later tick checks they were sent.
  const webhookUrl = `http://127.0.0.1:${(webhookSink.address() as AddressInfo).port}/hook`;
  await db.notificationChannel.create({
    data: { type: "webhook", name: "ops chat", configEnc: encryptSecret(JSON.stringify({ type: "webhook", url: webhookUrl, privateNetwork: true })) },
  });
  const user = await db.user.create({ data: { username: "bench", passwordHash: await hashPassword(randomBytes(16).toString("hex")) }, select: { id: true } });
  const { token } = await createSessionRecord(user.id);
  const cookie = `${SESSION_COOKIE}=${token}`;

  let seeded = 0;
  for (const size of sizes) {
    say(`seeding certificates ${seeded + 1} to ${size}...`);
    const seedStarted = performance.now();
    await seedFleet(db, material, seeded, size);
    const seedMs = performance.now() - seedStarted;
    seeded = size;
    const rows = {
      certificates: await db.certificate.count(),
      versions: await db.certificateVersion.count(),
      jobs: await db.job.count(),
      jobEvents: await db.jobEvent.count(),
    };
    say(`  ${rows.certificates} certificates, ${rows.versions} versions, ${rows.jobs} jobs, ${rows.jobEvents} job log lines (${formatDuration(seedMs)})`);

    // The server migrates the database at start: it must find it unlocked.
    await db.$disconnect();
    const port = await findFreePort();
    const server = await startProductionServer({ port, env: { CERTDECK_DATA_DIR: dataDir }, logPath: path.join(dataDir, `server-${size}.log`) });
    const lastPage = Math.max(1, Math.ceil(size / PAGE_SIZE));
    const pages = {
      overview: `/`,
      list: `/?page=${lastPage}`,
    };
    const timed: SizeResult["pages"] = {};
    let residentMiB = 0;
    let peakResidentMiB = 0;
    try {
      for (const [name, pagePath] of Object.entries(pages)) {
        const fetchPage = async () => {
          const started = performance.now();
          const response = await fetch(`${server.baseUrl}${pagePath}`, { headers: { cookie }, redirect: "manual" });
          const html = await response.text();
          const elapsed = performance.now() - started;
          if (response.status !== 200) throw new Error(`GET ${pagePath} answered ${response.status} (see ${server.logPath})`);
          if (size > PAGE_SIZE && !html.includes(`${size}<!-- --> certificates`) && !html.includes(`${size} certificates`)) {
            throw new Error(`GET ${pagePath} did not show the ${size} certificates (see ${server.logPath})`);
          }
          return elapsed;
        };
        for (let index = 0; index < warmup; index++) await fetchPage();
        const samples: number[] = [];
        for (let index = 0; index < requests; index++) samples.push(await fetchPage());
        timed[name] = { path: pagePath, summary: summarize(samples) };
        say(`  GET ${pagePath}: median ${formatDuration(timed[name].summary.median)} (p90 ${formatDuration(timed[name].summary.p90)})`);
      }
      // Page views across the whole list, as people browse, before memory is read.
      for (let index = 0; index < soak; index++) {
        const response = await fetch(`${server.baseUrl}${index % 2 === 0 ? "/" : `/?page=${1 + (index % lastPage)}`}`, {
          headers: { cookie },
          redirect: "manual",
        });
        await response.arrayBuffer();
      }
    } finally {
      residentMiB = server.residentMiB();
      peakResidentMiB = server.peakResidentMiB();
      await server.stop();
    }
    say(
      `  server resident memory after ${warmup * 2 + requests * 2 + soak} page views: ${residentMiB.toFixed(0)} MiB (peak ${peakResidentMiB.toFixed(0)} MiB)`,
    );

    const cpuSamples: number[] = [];
    const checksPerTick: number[] = [];
    const wallSamples: number[] = [];
    // Ticks a minute apart, as the server runs them (the clock is injected): each finds the
    // renewalInfo checks that came due in that minute.
    const warmupTicks = 2;
    const firstTickAt = Date.now();
    for (let index = 0; index < warmupTicks + tickRuns; index++) {
      const tickAt = new Date(firstTickAt + (index + 1) * 60_000);
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const tick = await runSchedulerTick(tickAt);
      const cpu = process.cpuUsage(cpuStart);
      if (index < warmupTicks) continue; // the first ticks of this process load and compile its code
      checksPerTick.push(tick.renewalInfoChecked);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
      wallSamples.push(performance.now() - started);
    }
    const tickCpu = summarize(cpuSamples);
    say(`  scheduler tick: ${formatDuration(tickCpu.median)} CPU (median of ${tickRuns})`);
    results.push({ certificates: size, seedMs, rows, pages: timed, residentMiB, peakResidentMiB, tickCpu, tickWall: summarize(wallSamples), checksPerTick });
  }

  const small = results[0];
  const large = results[results.length - 1];
  const ratioOf = (page: string) => large.pages[page].summary.median / small.pages[page].summary.median;
  const sizeLabel = (size: number) => size.toLocaleString("en-US");
  const figures: Figure[] = [];
  for (const [page, label] of [
    ["overview", "Overview /"],
    ["list", "Certificates list, last page"],
  ] as const) {
    for (const result of results) {
      figures.push({
        label: `${label} (${result.pages[page].path}), ${sizeLabel(result.certificates)}: median (p90)`,
        value: `${formatDuration(result.pages[page].summary.median)} (${formatDuration(result.pages[page].summary.p90)})`,
      });
    }
    if (results.length > 1) {
      const ratio = ratioOf(page);
      figures.push({
        label: `${label}: ${sizeLabel(large.certificates)} / ${sizeLabel(small.certificates)}`,
        value: formatRatio(ratio),
        target: `≤ ${TARGETS.pageRatio}×`,
        verdict: verdict(true, ratio <= TARGETS.pageRatio),
      });
    }
  }
  const megabytes = (mebibytes: number) => (mebibytes * 1024 * 1024) / 1e6;
  for (const result of results) {
    const isLargest = result === large;
    figures.push({
      label: `Server resident memory (VmRSS), ${sizeLabel(result.certificates)} (peak VmHWM)`,
      value: `${megabytes(result.residentMiB).toFixed(0)} MB (${megabytes(result.peakResidentMiB).toFixed(0)} MB)`,
      ...(isLargest ? { target: `≤ ${TARGETS.residentMB} MB`, verdict: verdict(true, megabytes(result.residentMiB) <= TARGETS.residentMB) } : {}),
    });
  }
  for (const result of results) {
    const isLargest = result === large;
    figures.push({
      label: `Scheduler tick CPU, ${sizeLabel(result.certificates)} (${Math.round(median(result.checksPerTick))} ARI checks/tick): median (wall)`,
      value: `${formatDuration(result.tickCpu.median)} (${formatDuration(result.tickWall.median)})`,
      ...(isLargest ? { target: `≤ ${TARGETS.tickCpuMs} ms`, verdict: verdict(true, result.tickCpu.median <= TARGETS.tickCpuMs) } : {}),
    });
  }
  await publishReport(
    {
      name: "dashboard",
      title: `bench:dashboard: ${sizes.map(sizeLabel).join(" then ")} certificates, production server (scripts/server.mjs)`,
      settings: {
        sizes: sizes.join(" → "),
        requestsPerPage: requests,
        warmupRequests: warmup,
        soakPageViews: soak,
        ticks: tickRuns,
        pageSize: PAGE_SIZE,
        serverNodeFlags: SERVER_NODE_FLAGS.join(" ") || "none",
      },
      figures,
      data: {
        sizes: results.map((result) => ({
          certificates: result.certificates,
          rows: result.rows,
          seedMs: round(result.seedMs),
          pages: result.pages,
          residentMB: round(megabytes(result.residentMiB)),
          peakResidentMB: round(megabytes(result.peakResidentMiB)),
          tickCpuMs: result.tickCpu,
          tickWallMs: result.tickWall,
          renewalInfoChecksPerTick: result.checksPerTick,
        })),
        ratios: results.length > 1 ? { overview: round(ratioOf("overview"), 3), list: round(ratioOf("list"), 3) } : null,
        targets: TARGETS,
      },
      notes: [
        "Page times are measured by the client over loopback, request to last byte of the HTML, signed in with a session cookie.",
        "Scheduler ticks run a minute apart on an injected clock, so each makes the renewalInfo (ARI) checks that came due in that minute (every certificate is checked every 12 hours).",
        `Resident memory is read after ${warmup * 2 + requests * 2 + soak} page views of the running server (MB = 10^6 bytes).`,
        "Each fleet: two names per certificate, 1-4 versions each, one finished job with its step log per version; 0.5% failing in their renewal window, 0.2% failing within 7 days of expiry, 0.1% expired.",
      ],
    },
    flags.value("output"),
  );
} catch (error) {
  console.error(`[bench:dashboard] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  webhookSink.close();
  // Removes the data directory too, unless CERTDECK_KEEP_TEST_DATA is set.
  await app.stop();
}
process.exit(exitCode);
