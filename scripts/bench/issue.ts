/**
 * `npm run bench:issue`: one two-name certificate, from the REST API request that creates it
 * (POST /api/v1/certificates with a bearer token) to its stored version, through the real job
 * runner, against a local Pebble (PEBBLE_VA_NOSLEEP=1); every run, the median and p90. Beside
 * it, when installed, certbot `certonly --standalone` and lego `run` with the same names on the
 * same Pebble, and the ratios (target: CertDeck at most 0.1× certbot's time).
 *
 * The app runs in this process: the real route handlers served over HTTP on the port Pebble
 * validates on (as `next start` serves them), the job runner with the server's settings.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { waitFor } from "../../lib/testbed/wait-for";
import { parseFlags } from "./support/args";
import { STALL_MS, stalledMessage, startBenchApp, type BenchApp, type RouteBinding } from "./support/bench-app";
import { certbotCertonly, certbotRegister, certbotWorkspace, certbotWorkspaceWithAccount, findExecutable, legoRun } from "./support/peers";
import { defaultOutputPath, publishReport, verdict, type Figure } from "./support/report";
import { formatDuration, formatRatio, round, summarize, type Summary } from "./support/stats";

const TARGET_RATIO = 0.1;
/** How often the benchmark, as a script would, asks the API whether the job has finished. */
const POLL_MS = 100;

const flags = parseFlags("npm run bench:issue --", {
  values: {
    runs: { default: "10", help: "timed CertDeck issuances (after one warm-up)" },
    "peer-runs": { default: "5", help: "timed runs of certbot and of lego" },
    peers: { default: "certbot,lego", help: "which peers to run beside CertDeck (comma-separated)" },
    output: { default: defaultOutputPath("issue"), help: 'JSON results file ("none" to write nothing)' },
  },
  switches: { "skip-peers": "do not run certbot and lego" },
});
const runs = flags.integer("runs", { min: 1 });
const peers = new Set(flags.isSet("skip-peers") ? [] : flags.value("peers").split(",").map((peer) => peer.trim()));
for (const peer of peers) {
  if (peer !== "certbot" && peer !== "lego") {
    console.error(`--peers takes certbot and/or lego, not "${peer}"`);
    process.exit(2);
  }
}
const peerRuns = flags.integer("peer-runs", { min: 1 });
/** The same two names for every client in run `index` (each run orders new ones: no authorization reuse). */
const namesOf = (index: number) => [`site${index}.issue.bench.test`, `www.site${index}.issue.bench.test`];

const say = (line: string) => console.log(`[bench:issue] ${line}`);

async function apiRoutes(): Promise<RouteBinding[]> {
  const certificates = await import("../../app/api/v1/certificates/route");
  const job = await import("../../app/api/v1/jobs/[id]/route");
  return [
    { pattern: "/api/v1/certificates", methods: { POST: certificates.POST, GET: certificates.GET } },
    { pattern: "/api/v1/jobs/:id", methods: { GET: job.GET } },
  ];
}

interface CertDeckRun {
  storedMs: number;
  jobDoneMs: number;
}

/** One issuance as a script would drive it: POST, then GET the job until it has finished. */
async function issueThroughApi(app: BenchApp, token: string, index: number): Promise<CertDeckRun> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const started = Date.now();
  const response = await fetch(`${app.baseUrl}/api/v1/certificates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ names: namesOf(index), challengeMethod: "http-01-app", accountId: app.accountId, keyType: "ec-p256" }),
  });
  const created = (await response.json()) as { certificate?: { id: string }; job?: { id: string } };
  if (response.status !== 201 || !created.certificate || !created.job) throw new Error(`POST /api/v1/certificates answered ${response.status}: ${JSON.stringify(created)}`);
  const jobUrl = `${app.baseUrl}/api/v1/jobs/${created.job.id}`;
  await waitFor(
    async () => {
      const poll = await fetch(jobUrl, { headers: { authorization: headers.authorization } });
      const job = (await poll.json()) as { status?: string; error?: string | null };
      if (job.status === "succeeded") return true;
      if (job.status === "failed" || poll.status !== 200) throw new Error(`issuance ${index} failed: ${JSON.stringify(job)}`);
      if (Date.now() - started > STALL_MS) throw new Error(await stalledMessage(app, 0, 1));
      return false;
    },
    { intervalMs: POLL_MS, timeoutMs: Infinity },
  );
  const jobDoneMs = Date.now() - started;
  const version = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId: created.certificate.id }, select: { createdAt: true } });
  return { storedMs: version.createdAt.getTime() - started, jobDoneMs };
}

async function measureCertDeck(app: BenchApp): Promise<{ stored: Summary; jobDone: Summary }> {
  const { createApiToken } = await import("../../lib/domain/api-tokens/api-tokens");
  const { userActor } = await import("../../lib/domain/command/actor");
  const created = await createApiToken(userActor({ id: "bench", username: "bench" }, null), { name: "bench:issue", scope: "write" }).catch((error: unknown) => {
    throw new Error(`could not create the API token: ${error instanceof Error ? error.message : String(error)}`);
  });
  say("warm-up issuance (not timed)...");
  await issueThroughApi(app, created.token, 0);
  const results: CertDeckRun[] = [];
  for (let index = 1; index <= runs; index++) {
    const run = await issueThroughApi(app, created.token, index);
    results.push(run);
    say(`CertDeck run ${index}/${runs}: version stored after ${formatDuration(run.storedMs)}, job finished after ${formatDuration(run.jobDoneMs)}`);
  }
  return { stored: summarize(results.map((run) => run.storedMs)), jobDone: summarize(results.map((run) => run.jobDoneMs)) };
}

type PeerResult = { status: "measured"; summary: Summary } | { status: "not installed" | "skipped" };

async function measureCertbot(app: BenchApp, workRoot: string): Promise<PeerResult> {
  const certbot = findExecutable("certbot");
  if (!certbot) return { status: "not installed" };
  const template = await certbotWorkspace(path.join(workRoot, "certbot-account"), app.pebble);
  await certbotRegister(certbot, template);
  const times: number[] = [];
  for (let index = 1; index <= peerRuns; index++) {
    // A fresh configuration directory each run (no lineage to renew), with the account in it.
    const workspace = await certbotWorkspaceWithAccount(workRoot, template, app.pebble);
    times.push(await certbotCertonly(certbot, workspace, app.pebble, namesOf(index)));
    say(`certbot run ${index}/${peerRuns}: ${formatDuration(times.at(-1)!)}`);
  }
  return { status: "measured", summary: summarize(times) };
}

async function measureLego(app: BenchApp, workRoot: string): Promise<PeerResult> {
  const lego = findExecutable("lego");
  if (!lego) return { status: "not installed" };
  const legoPath = path.join(workRoot, "lego");
  say("lego warm-up run (registers its account; not timed)...");
  await legoRun(lego, legoPath, app.pebble, namesOf(0));
  const times: number[] = [];
  for (let index = 1; index <= peerRuns; index++) {
    times.push(await legoRun(lego, legoPath, app.pebble, namesOf(index)));
    say(`lego run ${index}/${peerRuns}: ${formatDuration(times.at(-1)!)}`);
  }
  return { status: "measured", summary: summarize(times) };
}

const workRoot = await mkdtemp(path.join(os.tmpdir(), "certdeck-bench-issue-peers-"));
const app = await startBenchApp({ label: "bench-issue", routes: apiRoutes });
let exitCode = 0;
try {
  const certdeck = await measureCertDeck(app);
  let certbot: PeerResult = { status: "skipped" };
  let lego: PeerResult = { status: "skipped" };
  // The peers' standalone listeners need Pebble's HTTP-01 port, where CertDeck answered so far.
  if (peers.size > 0) await app.closeHttp();
  if (peers.has("certbot")) certbot = await measureCertbot(app, workRoot);
  if (peers.has("lego")) lego = await measureLego(app, workRoot);
  const peerFigures = (name: string, peer: PeerResult): Figure[] => {
    const ratio = peer.status === "measured" ? certdeck.stored.median / peer.summary.median : Number.NaN;
    const isCertbot = name === "certbot";
    return [
      {
        label: `${name}: median (p90) of ${peer.status === "measured" ? peer.summary.runs.length : 0} runs`,
        value: peer.status === "measured" ? `${formatDuration(peer.summary.median)} (${formatDuration(peer.summary.p90)})` : peer.status,
      },
      {
        label: `Ratio CertDeck / ${name}`,
        value: formatRatio(ratio),
        ...(isCertbot ? { target: `≤ ${formatRatio(TARGET_RATIO)}`, verdict: verdict(Number.isFinite(ratio), ratio <= TARGET_RATIO) } : {}),
      },
    ];
  };
  const figures: Figure[] = [
    { label: `CertDeck: API request → version stored, median (p90) of ${runs}`, value: `${formatDuration(certdeck.stored.median)} (${formatDuration(certdeck.stored.p90)})` },
    { label: `CertDeck: API request → job seen finished (polling every ${POLL_MS} ms), median`, value: formatDuration(certdeck.jobDone.median) },
    ...peerFigures("certbot", certbot),
    ...peerFigures("lego", lego),
  ];
  await publishReport(
    {
      name: "issue",
      title: "bench:issue: one two-name certificate (HTTP-01), against Pebble (PEBBLE_VA_NOSLEEP=1)",
      settings: { runs, peers: [...peers].join(", ") || "none", peerRuns: peers.size > 0 ? peerRuns : 0, keyType: "ECDSA P-256", names: 2 },
      figures,
      data: {
        certdeck: { storedMs: certdeck.stored, jobDoneMs: certdeck.jobDone },
        certbot: certbot.status === "measured" ? certbot.summary : { status: certbot.status },
        lego: lego.status === "measured" ? lego.summary : { status: lego.status },
        ratioCertbot: certbot.status === "measured" ? round(certdeck.stored.median / certbot.summary.median, 4) : null,
        ratioLego: lego.status === "measured" ? round(certdeck.stored.median / lego.summary.median, 4) : null,
        target: TARGET_RATIO,
      },
      notes: [
        `CertDeck runs (ms, API request → version stored): ${certdeck.stored.runs.join(", ")}.`,
        "Every client has its ACME account registered before timing. certbot and lego are timed from process start to exit, as a script or cron job runs them; CertDeck is a running server.",
      ],
    },
    flags.value("output"),
  );
} catch (error) {
  console.error(`[bench:issue] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  await app.stop();
  await rm(workRoot, { recursive: true, force: true });
}
process.exit(exitCode);
