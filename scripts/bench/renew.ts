/**
 * `npm run bench:renew`: N certificates (two names each) issued through CertDeck's production
 * server (scripts/server.mjs as `npm start` runs it, driven over its REST API with a token),
 * made due, and renewed by the server's own scheduler and job runner. A round's clock starts
 * when the scheduler tick that finds them due starts (read from /metrics) and stops when the
 * last renew job has finished (the job writes the version's files and deploys before it
 * finishes; every version's files are then checked on disk). Between CertDeck's rounds, in
 * turns on the same Pebble, `certbot renew --force-renewal` over lineages issued the same way
 * by certbot (its time is from process start to exit). Target: CertDeck at most 1/40 of
 * certbot's time.
 */
import { mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { lineageDirectoryName, livePaths } from "../../lib/protocol/lineage/lineage-files";
import { findFreePort } from "../../lib/testbed/pebble-testbed";
import { parseFlags } from "./support/args";
import { certbotCertonly, certbotRegister, certbotRenewAll, certbotWorkspace, findExecutable } from "./support/peers";
import { defaultOutputPath, publishReport, verdict, type Figure } from "./support/report";
import { startServerBench, type ServerBench } from "./support/server-bench";
import { formatDuration, formatRatio, round, summarize } from "./support/stats";
import { INTERACTIVE_JOB_SLOTS } from "../../lib/jobs/runner";

const TARGET_RATIO = 1 / 40;

const flags = parseFlags("npm run bench:renew --", {
  values: {
    certificates: { default: "100", help: "certificates CertDeck renews" },
    "certbot-lineages": {
      default: "",
      help: "lineages certbot renews (fewer save minutes; its time is extrapolated per lineage); default: as many as --certificates",
    },
    concurrency: { default: "", help: "renewal concurrency (the renewalConcurrency setting); default: the setting's default" },
    rounds: { default: "3", help: "times CertDeck renews every certificate (the median is reported)" },
    "certbot-rounds": { default: "1", help: "times certbot renews every lineage, in turns with CertDeck's rounds" },
    output: { default: defaultOutputPath("renew"), help: 'JSON results file ("none" to write nothing)' },
    "server-root": { default: "", help: "measure the server of another checkout with its own build (to compare two versions); default: this one" },
  },
  switches: { "skip-peers": "do not run certbot" },
});
const certificateCount = flags.integer("certificates", { min: 1 });
const rounds = flags.integer("rounds", { min: 1 });
const certbotRounds = flags.isSet("skip-peers") ? 0 : Math.min(rounds, flags.integer("certbot-rounds", { min: 1 }));
const certbotLineages = flags.value("certbot-lineages") === "" ? certificateCount : flags.integer("certbot-lineages", { min: 1 });
const namesOf = (index: number, prefix: string) => [`${prefix}${index}.bench.test`, `www.${prefix}${index}.bench.test`];

const say = (line: string) => console.log(`[bench:renew] ${line}`);

interface RenewalRound {
  /** Scheduler tick start → last renew job finished. */
  renewMs: number;
  /** Server CPU time from just before the certificates became due to the end of the round. */
  serverCpuMs: number;
  pebbleCpuMs: number;
  /** How the round's start was found. */
  startFrom: "scheduler tick (/metrics)" | "first renew job queued";
}

interface SchedulerTicks {
  count: number;
  lastStartedAt: number;
  intervalMs: number;
}

function metricValue(exposition: string, name: string, labels = ""): number {
  const escaped = `${name}${labels}`.replace(/[{}"=]/g, (character) => `\\${character}`);
  const match = new RegExp(`^${escaped} ([0-9.e+-]+)$`, "m").exec(exposition);
  if (!match) throw new Error(`/metrics has no ${name}${labels}`);
  return Number(match[1]);
}

async function readTicks(bench: ServerBench): Promise<SchedulerTicks> {
  const exposition = await bench.getText("/metrics");
  const count =
    metricValue(exposition, "certdeck_scheduler_ticks_total", '{result="succeeded"}') +
    metricValue(exposition, "certdeck_scheduler_ticks_total", '{result="failed"}');
  const finishedAt = metricValue(exposition, "certdeck_scheduler_last_tick_timestamp_seconds") * 1000;
  const durationMs = count > 0 ? metricValue(exposition, "certdeck_scheduler_last_tick_duration_seconds") * 1000 : 0;
  return { count, lastStartedAt: finishedAt - durationMs, intervalMs: metricValue(exposition, "certdeck_scheduler_interval_seconds") * 1000 };
}

/** Waits until every job has finished (read from the database; throws on a failed one). */
async function waitForJobs(bench: ServerBench, jobIds: string[]): Promise<void> {
  const { db } = bench.harness.modules;
  let finished = 0;
  let lastProgressAt = Date.now();
  for (;;) {
    const jobs = await db.job.findMany({ where: { id: { in: jobIds }, status: { in: ["succeeded", "failed"] } }, select: { status: true, error: true } });
    const failed = jobs.find((job) => job.status === "failed");
    if (failed) throw new Error(`a job failed: ${failed.error}`);
    if (jobs.length === jobIds.length) return;
    if (jobs.length > finished) {
      finished = jobs.length;
      lastProgressAt = Date.now();
    }
    if (Date.now() - lastProgressAt > 60_000)
      throw new Error(`${finished} of ${jobIds.length} jobs finished, then none for 60 s (see ${bench.server.logPath})`);
    await delay(100);
  }
}

/** Every certificate's live/ points at `version`, whose fullchain is readable. */
async function checkFiles(bench: ServerBench, names: string[], version: number): Promise<void> {
  for (const name of names) {
    const fullchain = livePaths(bench.certificatesDir, name).fullchain;
    const target = await readlink(fullchain);
    if (target !== path.join("..", "..", "archive", lineageDirectoryName(name), `fullchain${version}.pem`))
      throw new Error(`${fullchain} points at ${target}, not version ${version}`);
    if (!(await readFile(fullchain, "utf8")).includes("-----BEGIN CERTIFICATE-----")) throw new Error(`${fullchain} holds no certificate`);
  }
}

/** Makes every certificate due just before the scheduler's next tick and times the renewals, to version `version`. */
async function renewAllOnce(bench: ServerBench, names: string[], version: number, readPebbleCpu: () => number): Promise<RenewalRound> {
  const { db } = bench.harness.modules;
  const before = await readTicks(bench);
  // The tick after next when the next one is too close to prepare for.
  let nextTickAt = before.lastStartedAt + before.intervalMs;
  while (nextTickAt - Date.now() < 1500) nextTickAt += before.intervalMs;
  await delay(nextTickAt - Date.now() - 1000);
  const cpuBefore = bench.serverCpuMs();
  const pebbleBefore = readPebbleCpu();
  const markedAt = new Date();
  // Due now: the renewal window opened a second ago for every one of them.
  await db.certificate.updateMany({ data: { renewAfter: new Date(markedAt.getTime() - 1000) } });
  let jobIds: string[] = [];
  for (;;) {
    jobIds = (await db.job.findMany({ where: { type: "renew", createdAt: { gte: markedAt } }, select: { id: true } })).map((job) => job.id);
    if (jobIds.length >= certificateCount) break;
    if (Date.now() - markedAt.getTime() > 3 * before.intervalMs)
      throw new Error(`the scheduler queued ${jobIds.length} of ${certificateCount} renewals within ${(3 * before.intervalMs) / 1000} s`);
    await delay(200);
  }
  await waitForJobs(bench, jobIds);
  const serverCpuMs = bench.serverCpuMs() - cpuBefore;
  const pebbleCpuMs = readPebbleCpu() - pebbleBefore;
  const jobs = await db.job.findMany({ where: { id: { in: jobIds } }, select: { createdAt: true, finishedAt: true } });
  const lastFinished = Math.max(...jobs.map((job) => job.finishedAt!.getTime()));
  const firstQueued = Math.min(...jobs.map((job) => job.createdAt.getTime()));
  await checkFiles(bench, names, version);
  const after = await readTicks(bench);
  // One tick since: its start is the round's. More (a round longer than the interval): the tick
  // that queued them is not on /metrics any more, so the first renew job's creation stands in.
  const isOneTick = after.count === before.count + 1;
  const startedAt = isOneTick ? after.lastStartedAt : firstQueued;
  return { renewMs: lastFinished - startedAt, serverCpuMs, pebbleCpuMs, startFrom: isOneTick ? "scheduler tick (/metrics)" : "first renew job queued" };
}

const workRoot = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-renew-peers-"));
let renewalConcurrency = 0;
const bench = await startServerBench({
  label: "bench-renew",
  serverProjectRoot: flags.value("server-root") || undefined,
  prepare: async (harness) => {
    if (flags.value("concurrency") !== "") await harness.modules.settings.setSetting("renewalConcurrency", flags.integer("concurrency", { min: 1 }));
    renewalConcurrency = await harness.modules.settings.getSetting("renewalConcurrency");
  },
});
let exitCode = 0;
try {
  const { relay, server } = bench;
  const serverPort = Number(new URL(server.baseUrl).port);
  const { processCpuMs } = await import("./support/cpu");
  const readPebbleCpu = () => processCpuMs(bench.harness.pebble.pids.pebble) ?? 0;
  const names = Array.from({ length: certificateCount }, (_, index) => namesOf(index + 1, "r"));

  say(`issuing ${certificateCount} certificates through the server's API (not timed)...`);
  relay.setTarget(serverPort);
  const issueStarted = performance.now();
  const issueJobs: string[] = [];
  for (const pair of names) {
    const created = await bench.api<{ job: { id: string } }>("POST", "/certificates", {
      names: pair,
      accountId: bench.accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    issueJobs.push(created.job.id);
  }
  await waitForJobs(bench, issueJobs);
  await checkFiles(
    bench,
    names.map((pair) => pair[0]),
    1,
  );
  const issueMs = performance.now() - issueStarted;
  say(`issued ${certificateCount} in ${formatDuration(issueMs)}`);

  const certbot = certbotRounds > 0 ? findExecutable("certbot") : null;
  const certbotPort = await findFreePort();
  const certbotSpace = certbot ? await certbotWorkspace(path.join(workRoot, "certbot"), bench.harness.pebble) : null;
  let certbotIssueMs = Number.NaN;
  if (certbot && certbotSpace) {
    relay.setTarget(certbotPort);
    await certbotRegister(certbot, certbotSpace);
    say(`issuing ${certbotLineages} lineages with certbot certonly --standalone (not timed; about 3 s each)...`);
    const started = performance.now();
    for (let index = 1; index <= certbotLineages; index++) {
      await certbotCertonly(certbot, certbotSpace, bench.harness.pebble, namesOf(index, "c"), certbotPort);
      if (index % 10 === 0) say(`  ${index}/${certbotLineages} certbot lineages issued (${formatDuration(performance.now() - started)})`);
    }
    certbotIssueMs = performance.now() - started;
  }

  say(
    `renewing: ${rounds} CertDeck rounds of ${certificateCount} (renewal concurrency ${renewalConcurrency}, job runner concurrency ${renewalConcurrency + INTERACTIVE_JOB_SLOTS}, each started by the scheduler's next tick)` +
      (certbot ? `, in turns with ${certbotRounds} certbot renew round(s) of ${certbotLineages}` : ""),
  );
  const results: RenewalRound[] = [];
  const certbotTimes: number[] = [];
  for (let index = 1; index <= rounds; index++) {
    relay.setTarget(serverPort);
    results.push(
      await renewAllOnce(
        bench,
        names.map((pair) => pair[0]),
        index + 1,
        readPebbleCpu,
      ),
    );
    const result = results.at(-1)!;
    say(`  CertDeck round ${index}/${rounds}: ${formatDuration(result.renewMs)} (server CPU ${formatDuration(result.serverCpuMs)})`);
    if (certbot && certbotSpace && index <= certbotRounds) {
      relay.setTarget(certbotPort);
      certbotTimes.push(await certbotRenewAll(certbot, certbotSpace));
      say(`  certbot renew --force-renewal round ${index}/${certbotRounds}: ${formatDuration(certbotTimes.at(-1)!)}`);
    }
  }
  const peakMiB = bench.peakResidentMiB();

  const renewTimes = summarize(results.map((result) => result.renewMs));
  const middle = [...results].sort((a, b) => a.renewMs - b.renewMs)[Math.floor(results.length / 2)];
  const certbotSummary = certbotTimes.length > 0 ? summarize(certbotTimes) : null;
  const certbotPerLineage = certbotSummary ? certbotSummary.median / certbotLineages : Number.NaN;
  const certbotForAll = certbotPerLineage * certificateCount;
  const isExtrapolated = certbotSummary !== null && certbotLineages !== certificateCount;
  const ratio = renewTimes.median / certbotForAll;
  const certbotStatus = flags.isSet("skip-peers") ? "skipped" : "not installed";
  const megabytes = (mebibytes: number) => (mebibytes * 1024 * 1024) / 1e6;
  const spread = `${formatDuration(renewTimes.median)} (${formatDuration(renewTimes.min)}–${formatDuration(renewTimes.max)}, p90 ${formatDuration(renewTimes.p90)})`;
  const figures: Figure[] = [
    { label: `CertDeck: ${certificateCount} renewals, scheduler tick → last renew job finished, median (min–max, p90) of ${rounds}`, value: spread },
    { label: "CertDeck: per renewal (median round / count)", value: formatDuration(renewTimes.median / certificateCount) },
    {
      label: "CertDeck server CPU per renewal, median round (Pebble's)",
      value: `${formatDuration(middle.serverCpuMs / certificateCount)} (${formatDuration(middle.pebbleCpuMs / certificateCount)})`,
    },
    {
      label: `certbot renew --force-renewal, ${certbotLineages} lineages, median of ${certbotTimes.length}`,
      value: certbotSummary ? formatDuration(certbotSummary.median) : certbotStatus,
    },
    {
      label: `certbot: per lineage${isExtrapolated ? `, × ${certificateCount} (extrapolated)` : ""}`,
      value: certbotSummary ? `${formatDuration(certbotPerLineage)}${isExtrapolated ? ` → ${formatDuration(certbotForAll)}` : ""}` : certbotStatus,
    },
    {
      label: "Ratio CertDeck / certbot",
      value: formatRatio(ratio),
      target: `≤ ${formatRatio(TARGET_RATIO)} (1/40)`,
      verdict: verdict(Number.isFinite(ratio), ratio <= TARGET_RATIO),
    },
    {
      label: "CertDeck server: peak resident memory, start-up (with its child processes) / whole run (VmHWM)",
      value: `${megabytes(server.startupPeakTreeMiB).toFixed(0)} MB / ${megabytes(peakMiB).toFixed(0)} MB`,
      target: "≤ 300 MB",
      verdict: verdict(true, megabytes(Math.max(peakMiB, server.startupPeakTreeMiB)) <= 300),
    },
  ];
  await publishReport(
    {
      name: "renew",
      title: `bench:renew: ${certificateCount} due certificates (2 names each) renewed by the production server's scheduler, against Pebble (PEBBLE_VA_NOSLEEP=1)`,
      settings: {
        certificates: certificateCount,
        rounds,
        certbotRounds: certbotTimes.length,
        certbotLineages: certbotSummary ? certbotLineages : 0,
        renewalConcurrency,
        runnerConcurrency: renewalConcurrency + INTERACTIVE_JOB_SLOTS,
        challenge: "http-01 (CertDeck: served by the app; certbot: --standalone)",
        server: flags.value("server-root") || "this checkout",
      },
      figures,
      data: {
        certdeck: {
          renewMs: renewTimes,
          rounds: results.map((result) => ({
            renewMs: round(result.renewMs),
            serverCpuMs: round(result.serverCpuMs),
            pebbleCpuMs: round(result.pebbleCpuMs),
            startFrom: result.startFrom,
          })),
          issueMs: round(issueMs),
          renewJobs: await bench.harness.modules.db.job.count({ where: { type: "renew", status: "succeeded" } }),
          serverPeakResidentMB: { startup: round(megabytes(server.startupPeakTreeMiB)), wholeRun: round(megabytes(peakMiB)) },
        },
        certbot: certbotSummary
          ? {
              lineages: certbotLineages,
              renewMs: certbotSummary,
              perLineageMs: round(certbotPerLineage),
              extrapolatedMs: round(certbotForAll),
              issueMs: round(certbotIssueMs),
            }
          : { status: certbotStatus },
        ratio: Number.isFinite(ratio) ? round(ratio, 4) : null,
        target: TARGET_RATIO,
      },
      notes: [
        "Both clients renew every certificate with a new order, new key and HTTP-01 validation of both names; accounts are registered before timing.",
        "A round starts with the scheduler tick that finds the certificates due (they are made due a second before it) and ends when the last renew job has finished (files written, deploy done); every version's files are checked on disk.",
        "Pebble validates on one port; a TCP relay in the benchmark passes its connections to the server or to certbot's listener, whoever's turn it is.",
        ...(isExtrapolated
          ? [
              `certbot renewed ${certbotLineages} lineages; its time for ${certificateCount} is per-lineage time × ${certificateCount} (certbot renews one lineage after the other).`,
            ]
          : []),
      ],
    },
    flags.value("output"),
  );
} catch (error) {
  console.error(`[bench:renew] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  await bench.stop();
  await rm(workRoot, { recursive: true, force: true });
}
process.exit(exitCode);
