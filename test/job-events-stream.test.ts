import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { callRoute, type RouteCall, type RouteModule } from "./support/route-call";
import { SseReader, type ReceivedEvent } from "./support/sse-reader";

/**
 * Live job progress: GET /api/v1/jobs/{id}/events as server-sent events and the ?wait= long poll
 * on GET /api/v1/jobs/{id}, through the real route handlers, with the real job runner issuing from
 * Pebble. The last test runs the job in another process, so only the database reaches the
 * streams (no in-process news).
 */
describe("job event stream and long poll", () => {
  let app: AppHarness;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let readToken: string;
  let writeToken: string;
  let accountId: string;
  let updates: typeof import("../lib/data/queue/job-updates");
  let eventsRoute: RouteModule;
  let jobRoute: RouteModule;
  let certificatesRoute: RouteModule;
  let renewRoute: RouteModule;
  let worker: ChildProcess | undefined;

  const eventsOf = (jobId: string, call: RouteCall & { query?: string } = {}) =>
    callRoute(eventsRoute, "GET", `/api/v1/jobs/${jobId}/events${call.query ? `?${call.query}` : ""}`, { token: readToken, params: { id: jobId }, ...call });
  const streamOf = (jobId: string, headers: Record<string, string> = {}, query?: string) =>
    eventsOf(jobId, { headers: { accept: "text/event-stream", ...headers }, query });
  const jobOf = (jobId: string, query?: string) =>
    callRoute(jobRoute, "GET", `/api/v1/jobs/${jobId}${query ? `?${query}` : ""}`, { token: readToken, params: { id: jobId } });

  async function addCertificate(name: string): Promise<{ certificateId: string; jobId: string }> {
    const response = await callRoute(certificatesRoute, "POST", "/api/v1/certificates", {
      token: writeToken,
      body: { names: [name], challengeMethod: "http-01-app", accountId, keyType: "ec-p256" },
    });
    const body = await response.json();
    assert.equal(response.status, 201, JSON.stringify(body));
    return { certificateId: body.certificate.id, jobId: body.job.id };
  }

  async function renew(certificateId: string): Promise<string> {
    const response = await callRoute(renewRoute, "POST", `/api/v1/certificates/${certificateId}/renew`, { token: writeToken, params: { id: certificateId } });
    const body = await response.json();
    assert.equal(response.status, 202, JSON.stringify(body));
    return body.job.id;
  }

  async function storedLog(jobId: string): Promise<Array<{ id: number; message: string }>> {
    return app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { id: true, message: true } });
  }

  const logLines = (events: ReceivedEvent[]) =>
    events
      .filter((event) => event.event === "log")
      .map((event) => ({ sseId: event.id, receivedAt: event.receivedAt, ...(JSON.parse(event.data) as { id: number; message: string; step: string }) }));

  /** Cleanup runs after the reader's cancel: wait (briefly) for the listener count to settle. */
  async function expectListeners(count: number): Promise<void> {
    const deadline = Date.now() + 2000;
    while (updates.jobUpdateListenerCount() !== count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(updates.jobUpdateListenerCount(), count, "every follower removed its listener");
  }

  before(async () => {
    app = await startAppHarness();
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    updates = await import("../lib/data/queue/job-updates");
    const route = async (file: string) => (await import(pathToFileURL(path.resolve("app/api/v1", file)).href)) as RouteModule;
    eventsRoute = await route("jobs/[id]/events/route.ts");
    jobRoute = await route("jobs/[id]/route.ts");
    certificatesRoute = await route("certificates/route.ts");
    renewRoute = await route("certificates/[id]/renew/route.ts");
    const tokens = await import("../lib/domain/api-tokens/api-tokens");
    const read = await tokens.createApiToken(app.admin, { name: "watcher", scope: "read" });
    const write = await tokens.createApiToken(app.admin, { name: "issuer", scope: "write" });
    [readToken, writeToken] = [read.token, write.token];
    accountId = await app.registerPebbleAccount();
  });
  after(async () => {
    worker?.kill("SIGTERM");
    await challenge?.close();
    await app?.stop();
  });

  it("streams a real issuance's log in order while it runs, then ends with the job's status", async () => {
    const listeners = updates.jobUpdateListenerCount();
    const { jobId } = await addCertificate("stream.example.test");
    const response = await streamOf(jobId);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.match(response.headers.get("cache-control") ?? "", /no-store/);
    assert.match(response.headers.get("cache-control") ?? "", /no-transform/, "compression must not hold events back");
    const alreadyStored = new Set((await storedLog(jobId)).map((line) => line.id));
    const reader = new SseReader(response);
    const events = await reader.untilEnd();
    assert.equal(reader.retry, 2000, "EventSource is told how soon to reconnect");

    const stored = await storedLog(jobId);
    const lines = logLines(events);
    assert.deepEqual(
      lines.map(({ id, message }) => ({ id, message })),
      stored,
      "every log line once, in the order of the log",
    );
    for (const line of lines) assert.equal(line.sseId, String(line.id), "each log event carries its id for Last-Event-ID");
    assert.ok(lines.some((line) => line.message === "Asking the CA to validate"));
    assert.ok(lines.some((line) => line.message === "stream.example.test: validated"));

    // Lines written after the stream opened arrived while the job was still running.
    const { finishedAt, status } = await app.modules.db.job.findUniqueOrThrow({ where: { id: jobId } });
    assert.equal(status, "succeeded");
    const live = lines.filter((line) => !alreadyStored.has(line.id) && line.step !== "done");
    assert.ok(live.length >= 3, `lines arrived live: ${JSON.stringify(lines.map((line) => line.message))}`);
    for (const line of live) assert.ok(line.receivedAt <= finishedAt!.getTime(), `"${line.message}" arrived before the job finished`);
    const validating = lines.find((line) => line.message === "Asking the CA to validate")!;
    const validated = lines.find((line) => line.message === "stream.example.test: validated")!;
    assert.ok(validating.receivedAt <= validated.receivedAt);

    const statuses = events.filter((event) => event.event === "status").map((event) => JSON.parse(event.data).status);
    assert.ok(statuses.length >= 1, "the status when the stream started");
    assert.deepEqual(JSON.parse(events.at(-1)!.data), { jobId, status: "succeeded", error: null });
    await expectListeners(listeners);

    // The default answer stays the JSON log; a finished job's stream is its log and its end.
    const json = await eventsOf(jobId);
    assert.match(json.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(
      ((await json.json()) as { events: Array<{ id: number }> }).events.map((event) => event.id),
      stored.map((line) => line.id),
    );
    const replay = await new SseReader(await streamOf(jobId)).untilEnd();
    assert.deepEqual(
      logLines(replay).map((line) => line.id),
      stored.map((line) => line.id),
    );
    assert.equal(replay.at(-1)!.event, "end");
    await expectListeners(listeners);
  });

  it("resumes after a dropped connection with exactly the missing events (Last-Event-ID, or ?after=)", async () => {
    const listeners = updates.jobUpdateListenerCount();
    const { certificateId } = await addCertificate("resume-stream.example.test");
    const firstJob = await app.modules.db.job.findFirstOrThrow({ where: { certificateId }, select: { id: true } });
    await app.waitForJob(firstJob.id);
    const jobId = await renew(certificateId);

    // The client reads two log lines, then goes away in the middle of the job.
    const first = new SseReader(await streamOf(jobId));
    const before: ReturnType<typeof logLines> = [];
    while (before.length < 2) {
      const event = await first.next();
      assert.ok(event, "the stream stays open while the job runs");
      before.push(...logLines([event]));
    }
    await first.cancel();
    await expectListeners(listeners);

    // It reconnects as EventSource does: Last-Event-ID wins over the URL it first used (?after=0).
    const rest = await new SseReader(await streamOf(jobId, { "last-event-id": before.at(-1)!.sseId! }, "after=0")).untilEnd();
    const stored = await storedLog(jobId);
    assert.deepEqual(
      [...before, ...logLines(rest)].map((line) => line.id),
      stored.map((line) => line.id),
      "no line lost, none twice",
    );
    assert.deepEqual(JSON.parse(rest.at(-1)!.data).status, "succeeded");

    // ?after= alone resumes the same way (scripts, and the page's first connection).
    const afterThird = await new SseReader(await streamOf(jobId, {}, `after=${stored[2].id}`)).untilEnd();
    assert.deepEqual(
      logLines(afterThird).map((line) => line.id),
      stored.slice(3).map((line) => line.id),
    );
    await expectListeners(listeners);
  });

  it("answers a long poll (?wait=30) as soon as the job has finished, before the time is up", async () => {
    const listeners = updates.jobUpdateListenerCount();
    const certificate = await app.modules.db.certificate.findFirstOrThrow({ where: { name: "stream.example.test" } });
    const jobId = await renew(certificate.id);
    const started = Date.now();
    const response = await jobOf(jobId, "wait=30");
    const elapsed = Date.now() - started;
    const job = await response.json();
    assert.equal(response.status, 200, JSON.stringify(job));
    assert.equal(job.status, "succeeded");
    assert.ok(job.finishedAt, "the job as it is once finished");
    assert.ok(elapsed < 30_000, `answered after ${elapsed} ms, before the 30 s were up`);
    await expectListeners(listeners);

    // A finished job answers at once; without ?wait the resource is as before.
    const again = Date.now();
    assert.equal((await (await jobOf(jobId, "wait=60")).json()).status, "succeeded");
    assert.ok(Date.now() - again < 5000);
    assert.equal((await (await jobOf(jobId)).json()).status, "succeeded");
  });

  it("refuses what it should: no token, a cookie, a bad wait or Last-Event-ID, unknown jobs; a read-only token may stream", async () => {
    const job = await app.modules.db.job.findFirstOrThrow({ where: { status: "succeeded", type: "issue" } });
    const code = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
    assert.equal(await code(await eventsOf(job.id, { token: undefined, headers: { accept: "text/event-stream" } })), "unauthorized");
    const { createFirstAdmin } = await import("../lib/domain/auth/users");
    const { createSessionRecord } = await import("../lib/domain/auth/session-store");
    const admin = await createFirstAdmin("admin", "correct horse battery staple");
    assert.ok(admin);
    const session = await createSessionRecord(admin.id);
    const withCookie = await callRoute(eventsRoute, "GET", `/api/v1/jobs/${job.id}/events`, {
      params: { id: job.id },
      headers: { accept: "text/event-stream", cookie: `certdeck_session=${session.token}` },
    });
    assert.equal(withCookie.status, 401, "the REST API never takes the session cookie");

    const badWait = await jobOf(job.id, "wait=61");
    assert.equal(badWait.status, 400);
    assert.equal(await code(badWait), "invalid_request");
    const badId = await streamOf(job.id, { "last-event-id": "yesterday" });
    assert.equal(badId.status, 400);
    for (const response of [await streamOf("doesnotexist"), await jobOf("doesnotexist", "wait=5")]) {
      assert.equal(response.status, 404);
      assert.equal(await code(response), "not_found");
    }
    const readOnly = await streamOf(job.id);
    assert.equal(readOnly.status, 200, "a read-only token may follow jobs");
    await readOnly.body?.cancel();
  });

  it("gets every event from the database when the job runs in another process (no in-process news)", async () => {
    await app.stopRunner();
    const listeners = updates.jobUpdateListenerCount();
    const { jobId } = await addCertificate("elsewhere.example.test");
    const heard: string[] = [];
    const stopHearing = updates.onJobUpdate((update) => {
      if (update.jobId === jobId && update.event?.step !== "queue") heard.push(update.event?.message ?? update.status ?? "");
    });

    // Nobody runs it yet: the long poll answers when its time is up, with the job as it is.
    const pollStarted = Date.now();
    const queued = await (await jobOf(jobId, "wait=1")).json();
    assert.equal(queued.status, "queued");
    assert.ok(Date.now() - pollStarted >= 1000, "waited the second it was given");

    // A heartbeat comment keeps an idle stream open (every 15 s; shortened here).
    const { jobEventStreamResponse } = await import("../lib/web/streams/job-event-stream");
    const idle = new SseReader(await jobEventStreamResponse({ jobIds: [jobId], heartbeatMs: 100 }));
    await idle.readFor(450);
    assert.ok(idle.comments.filter((comment) => comment === "keep-alive").length >= 3, JSON.stringify(idle.comments));
    await idle.cancel();

    const stream = new SseReader(await streamOf(jobId));
    const longPoll = (async () => {
      const started = Date.now();
      const job = await (await jobOf(jobId, "wait=30")).json();
      return { status: job.status as string, elapsed: Date.now() - started };
    })();
    worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join("test", "support", "worker-process.ts")], {
      env: { ...process.env, CERTDECK_DATA_DIR: app.dataDir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const events = await stream.untilEnd(60_000);
    const stored = await storedLog(jobId);
    assert.deepEqual(
      logLines(events).map(({ id, message }) => ({ id, message })),
      stored,
      "every line once, in order",
    );
    assert.ok(stored.some((line) => line.message === "Asking the CA to validate"));
    assert.equal(JSON.parse(events.at(-1)!.data).status, "succeeded");
    const polled = await longPoll;
    assert.equal(polled.status, "succeeded");
    assert.ok(polled.elapsed < 30_000);
    assert.deepEqual(heard, [], "this process heard nothing of the job: the database carried everything");
    stopHearing();
    await expectListeners(listeners);
  });
});
