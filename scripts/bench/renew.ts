/**
 * `npm run bench:renew`: N certificates (two names each) issued through CertDeck, made due, and
 * renewed by the real scheduler and job runner; the time from the scheduler's start until every
 * new version is stored. Beside it, `certbot renew --force-renewal` over lineages issued the same
 * way by certbot on the same Pebble, and the ratio (target: at most 1/40 of certbot's time).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { waitFor } from "../../lib/testbed/wait-for";
import { parseFlags } from "./support/args";
import { startCpuMeter } from "./support/cpu";
import { STALL_MS, stalledMessage, startBenchApp, type BenchApp } from "./support/bench-app";
import { certbotCertonly, certbotRegister, certbotRenewAll, certbotWorkspace, findExecutable } from "./support/peers";
import { defaultOutputPath, publishReport, verdict, type Figure } from "./support/report";
import { formatDuration, formatRatio, round, summarize } from "./support/stats";
import { SYSTEM_ACTOR } from "../../lib/domain/command/actor";

const TARGET_RATIO = 1 / 40;

const flags = parseFlags("npm run bench:renew --", {
  values: {
    certificates: { default: "100", help: "certificates CertDeck renews" },
    "certbot-lineages": { default: "", help: "lineages certbot renews (fewer saves minutes; its time is extrapolated per lineage); default: as many as --certificates" },
    concurrency: { default: "", help: "renewal concurrency (the renewalConcurrency setting); default: the setting's default" },
    "runner-concurrency": { default: "", help: "jobs the job runner works on at once; default: the server's (renewal concurrency + 4)" },
    rounds: { default: "3", help: "times the same certificates are made due and renewed (the median is reported)" },
    output: { default: defaultOutputPath("renew"), help: 'JSON results file ("none" to write nothing)' },
  },
  switches: { "skip-peers": "do not run certbot" },
});
const certificateCount = flags.integer("certificates", { min: 1 });
const rounds = flags.integer("rounds", { min: 1 });
const certbotLineages = flags.value("certbot-lineages") === "" ? certificateCount : flags.integer("certbot-lineages", { min: 1 });
const namesOf = (index: number, prefix: string) => [`${prefix}${index}.bench.test`, `www.${prefix}${index}.bench.test`];

const say = (line: string) => console.log(`[bench:renew] ${line}`);

async function measureCertDeck(app: BenchApp, renewalConcurrency: number) {
  const { createCertificate } = app.modules;
  await app.modules.settings.setSetting("renewalConcurrency", renewalConcurrency);

  say(`issuing ${certificateCount} certificates through CertDeck (not timed)...`);
  const issueStarted = performance.now();
  const jobIds: string[] = [];
  for (let index = 1; index <= certificateCount; index++) {
    const created = await createCertificate(SYSTEM_ACTOR, { names: namesOf(index, "r"), accountId: app.accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });
    jobIds.push(created.jobId);
  }
  await app.waitForJobs(jobIds);
  const issueMs = performance.now() - issueStarted;
  say(`issued ${certificateCount} in ${formatDuration(issueMs)}`);

  const results: RenewalRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    results.push(await renewAllOnce(app, round + 1, renewalConcurrency));
    say(`  round ${round}/${rounds}: ${formatDuration(results.at(-1)!.renewMs)}`);
  }
  return { issueMs, rounds: results };
}

interface RenewalRound {
  renewMs: number;
  allDoneMs: number;
  certdeckCpuMs: number;
  pebbleCpuMs: number;
}

/** Makes every certificate due and lets the real scheduler renew them all, to version `version`. */
async function renewAllOnce(app: BenchApp, version: number, renewalConcurrency: number): Promise<RenewalRound> {
  const { db } = app.modules;
  const { startScheduler } = await import("../../lib/jobs/scheduler");
  // Due now: the renewal window opened a second ago for every one of them.
  await db.certificate.updateMany({ data: { renewAfter: new Date(Date.now() - 1000) } });
  if (version === 2) {
    say(`renewing ${certificateCount} due certificates with the scheduler (renewal concurrency ${renewalConcurrency}, job runner concurrency ${await app.runnerConcurrency()}), ${rounds} rounds...`);
  }
  const started = Date.now();
  const readCpu = startCpuMeter({ pebble: app.pebble.pids.pebble });
  const scheduler = startScheduler();
  try {
    let renewedBefore = 0;
    let lastProgressAt = Date.now();
    await waitFor(
      async () => {
        const renewed = await db.certificateVersion.count({ where: { version } });
        if (renewed >= certificateCount) return true;
        const failed = await db.job.count({ where: { type: "renew", status: "failed" } });
        if (failed > 0) {
          const failure = await db.job.findFirst({ where: { type: "renew", status: "failed" }, select: { error: true } });
          throw new Error(`${failed} renewal(s) failed, e.g.: ${failure?.error}`);
        }
        if (renewed > renewedBefore) {
          renewedBefore = renewed;
          lastProgressAt = Date.now();
        }
        if (Date.now() - lastProgressAt > STALL_MS) throw new Error(await stalledMessage(app, renewed, certificateCount));
        return false;
      },
      // The time is read from the stored versions, so looking seldom costs no precision, only less CPU.
      { intervalMs: 200, timeoutMs: Infinity },
    );
  } finally {
    scheduler.stop();
  }
  const cpu = readCpu();
  const lastStored = await db.certificateVersion.aggregate({ where: { version }, _max: { createdAt: true } });
  const renewJobs = await db.job.findMany({ where: { type: "renew", status: { notIn: ["succeeded"] } }, select: { id: true } });
  await app.waitForJobs(renewJobs.map(({ id }) => id));
  return { renewMs: lastStored._max.createdAt!.getTime() - started, allDoneMs: Date.now() - started, certdeckCpuMs: cpu.thisProcess, pebbleCpuMs: cpu.pebble };
}

async function measureCertbot(app: BenchApp, workRoot: string) {
  const certbot = findExecutable("certbot");
  if (!certbot) return { status: "not installed" as const };
  // certbot's standalone listener needs Pebble's HTTP-01 port, where CertDeck answered so far.
  await app.closeHttp();
  const workspace = await certbotWorkspace(path.join(workRoot, "certbot"), app.pebble);
  await certbotRegister(certbot, workspace);
  say(`issuing ${certbotLineages} lineages with certbot certonly --standalone (not timed; about 3 s each)...`);
  const issueStarted = performance.now();
  for (let index = 1; index <= certbotLineages; index++) {
    await certbotCertonly(certbot, workspace, app.pebble, namesOf(index, "c"));
    if (index % 10 === 0) say(`  ${index}/${certbotLineages} certbot lineages issued (${formatDuration(performance.now() - issueStarted)})`);
  }
  const issueMs = performance.now() - issueStarted;
  say(`certbot renew --force-renewal over ${certbotLineages} lineages...`);
  const renewMs = await certbotRenewAll(certbot, workspace);
  return { status: "measured" as const, issueMs, renewMs, perLineageMs: renewMs / certbotLineages };
}

const workRoot = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-renew-peers-"));
const app = await startBenchApp({ label: "bench-renew", runnerConcurrency: flags.value("runner-concurrency") === "" ? undefined : flags.integer("runner-concurrency", { min: 1 }) });
let exitCode = 0;
try {
  const renewalConcurrency = flags.value("concurrency") === "" ? await app.modules.settings.getSetting("renewalConcurrency") : flags.integer("concurrency", { min: 1 });
  const certdeck = await measureCertDeck(app, renewalConcurrency);
  const certbot = flags.isSet("skip-peers") ? ({ status: "skipped" } as const) : await measureCertbot(app, workRoot);

  const renewTimes = summarize(certdeck.rounds.map((result) => result.renewMs));
  const middle = [...certdeck.rounds].sort((a, b) => a.renewMs - b.renewMs)[Math.floor(certdeck.rounds.length / 2)];
  const certbotForAll = certbot.status === "measured" ? certbot.perLineageMs * certificateCount : Number.NaN;
  const isExtrapolated = certbot.status === "measured" && certbotLineages !== certificateCount;
  const ratio = renewTimes.median / certbotForAll;
  const figures: Figure[] = [
    {
      label: `CertDeck: ${certificateCount} renewals, scheduler start → last version stored, median (max) of ${rounds}`,
      value: `${formatDuration(renewTimes.median)} (${formatDuration(renewTimes.max)})`,
    },
    { label: "CertDeck: per renewal (median wall time / count)", value: formatDuration(renewTimes.median / certificateCount) },
    { label: "CertDeck: until every renew job finished (files, deploy), median round", value: formatDuration(middle.allDoneMs) },
    { label: "CPU time meanwhile, median round: CertDeck / Pebble", value: `${formatDuration(middle.certdeckCpuMs)} / ${formatDuration(middle.pebbleCpuMs)}` },
    {
      label: `certbot renew --force-renewal, ${certbotLineages} lineages`,
      value: certbot.status === "measured" ? formatDuration(certbot.renewMs) : certbot.status,
    },
    {
      label: `certbot: per lineage${isExtrapolated ? `, × ${certificateCount} (extrapolated)` : ""}`,
      value: certbot.status === "measured" ? `${formatDuration(certbot.perLineageMs)}${isExtrapolated ? ` → ${formatDuration(certbotForAll)}` : ""}` : certbot.status,
    },
    {
      label: "Ratio CertDeck / certbot",
      value: formatRatio(ratio),
      target: `≤ ${formatRatio(TARGET_RATIO)} (1/40)`,
      verdict: verdict(Number.isFinite(ratio), ratio <= TARGET_RATIO),
    },
  ];
  await publishReport(
    {
      name: "renew",
      title: `bench:renew: ${certificateCount} due certificates (2 names each) renewed by the scheduler, against Pebble (PEBBLE_VA_NOSLEEP=1)`,
      settings: {
        certificates: certificateCount,
        rounds,
        certbotLineages: certbot.status === "measured" ? certbotLineages : 0,
        renewalConcurrency,
        runnerConcurrency: await app.runnerConcurrency(),
        challenge: "http-01 (CertDeck: served by the app; certbot: --standalone)",
      },
      figures,
      data: {
        certdeck: {
          renewMs: renewTimes,
          rounds: certdeck.rounds.map((result) => ({ renewMs: round(result.renewMs), allJobsDoneMs: round(result.allDoneMs), certdeckCpuMs: round(result.certdeckCpuMs), pebbleCpuMs: round(result.pebbleCpuMs) })),
          issueMs: round(certdeck.issueMs),
          renewJobs: await app.modules.db.job.count({ where: { type: "renew", status: "succeeded" } }),
        },
        certbot: certbot.status === "measured" ? { lineages: certbotLineages, renewMs: round(certbot.renewMs), perLineageMs: round(certbot.perLineageMs), extrapolatedMs: round(certbotForAll), issueMs: round(certbot.issueMs) } : { status: certbot.status },
        ratio: Number.isFinite(ratio) ? round(ratio, 4) : null,
        target: TARGET_RATIO,
      },
      notes: [
        "Both clients renew every certificate with a new order, new key and HTTP-01 validation of both names; accounts are registered before timing.",
        ...(isExtrapolated ? [`certbot renewed ${certbotLineages} lineages; its time for ${certificateCount} is per-lineage time × ${certificateCount} (certbot renews one lineage after the other).`] : []),
      ],
    },
    flags.value("output"),
  );
} catch (error) {
  console.error(`[bench:renew] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  await app.stop();
  await rm(workRoot, { recursive: true, force: true });
}
process.exit(exitCode);
