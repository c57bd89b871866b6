import assert from "node:assert/strict";
import { access, readFile, stat } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { userActor } from "../lib/domain/command/actor";
import { openTestDatabase } from "./support/test-database";

/**
 * First-run setup code, sign-in throttling and session lifetime against a real SQLite file: the
 * parts of sign-in that need no request (cookies and headers are covered by e2e/).
 */
describe("sign-in hardening", () => {
  let dataDir: string;
  let modules: {
    db: typeof import("../lib/data/client").db;
    firstRun: typeof import("../lib/domain/auth/first-run");
    signIn: typeof import("../lib/domain/auth/sign-in");
    sessions: typeof import("../lib/domain/auth/session-store");
    settings: typeof import("../lib/data/settings");
  };
  const minute = 60_000;

  /**
   * signIn() as the sign-in form calls it, its outcome as data: the user, or why not (a wrong
   * user name or password is AppError("unauthorized"), too many attempts "too_many_requests").
   */
  async function attempt(username: string, password: string, address: string, now?: Date) {
    try {
      const user = await modules.signIn.signIn({ username, password }, { address, now });
      return { ok: true as const, user };
    } catch (error) {
      const { code, userMessage } = error as { code?: string; userMessage?: string };
      if (code === "unauthorized" && userMessage === "Wrong user name or password.") return { ok: false as const, reason: "wrong" as const };
      if (code === "too_many_requests") return { ok: false as const, reason: "throttled" as const, message: userMessage };
      throw error;
    }
  }

  before(async () => {
    ({ dataDir } = await openTestDatabase({ label: "sign-in" }));
    modules = {
      db: (await import("../lib/data/client")).db,
      firstRun: await import("../lib/domain/auth/first-run"),
      signIn: await import("../lib/domain/auth/sign-in"),
      sessions: await import("../lib/domain/auth/session-store"),
      settings: await import("../lib/data/settings"),
    };
  });

  after(async () => modules?.db.$disconnect());

  it("issues a setup code while no user exists, replaces it on restart, refuses a wrong one, and erases it once used", async () => {
    const { firstRun, settings, db } = modules;
    const file = firstRun.setupCodePath(dataDir);
    const first = await firstRun.issueSetupCode(dataDir);
    assert.ok(first);
    assert.equal((await readFile(file, "utf8")).trim(), first);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.notEqual(await settings.getSetting("setupCodeHash"), "");
    assert.doesNotMatch(await settings.getSetting("setupCodeHash"), new RegExp(first.replaceAll("-", "")), "only a hash is stored");

    const second = await firstRun.issueSetupCode(dataDir);
    assert.ok(second && second !== first);
    assert.equal((await readFile(file, "utf8")).trim(), second);
    assert.equal(await firstRun.isSetupCodeValid(first), false, "a restart replaces the code");

    const input = { username: "admin", password: "correct horse battery", passwordConfirmation: "correct horse battery" };
    const client = { address: "192.0.2.1", dataDir };
    await assert.rejects(firstRun.createFirstAdminWithSetupCode({ ...input, setupCode: first }, client), {
      code: "unauthorized",
      userMessage: `The setup code is not right: it is in the server's log and in ${file}`,
    });
    assert.equal(await db.user.count(), 0, "a wrong code changes nothing");
    await access(file);

    const created = await firstRun.createFirstAdminWithSetupCode({ ...input, setupCode: second.toLowerCase() }, client);
    assert.equal(created.username, "admin");
    assert.equal(await settings.getSetting("setupCodeHash"), "");
    await assert.rejects(access(file), "the file is deleted");
    await assert.rejects(firstRun.createFirstAdminWithSetupCode({ ...input, setupCode: second }, client), {
      code: "conflict",
      userMessage: "An administrator already exists. Sign in instead.",
    });
    assert.equal(await firstRun.issueSetupCode(dataDir), null, "no code once a user exists");
    const audit = await db.auditEvent.findMany({ where: { action: "setup.admin-created" } });
    assert.equal(audit.length, 1);
  });

  it("signs in, says the same for an unknown user and a wrong password, and records every attempt", async () => {
    const { db } = modules;
    const now = new Date();
    assert.equal((await attempt("admin", "correct horse battery", "192.0.2.1", now)).ok, true);
    assert.deepEqual(await attempt("admin", "wrong", "192.0.2.1", now), { ok: false, reason: "wrong" });
    assert.deepEqual(await attempt("nobody", "wrong", "192.0.2.1", now), { ok: false, reason: "wrong" });
    assert.equal(await db.loginAttempt.count(), 3);
    const actions = (await db.auditEvent.findMany({ orderBy: { id: "asc" } })).map((event) => `${event.action} ${event.actor} ${event.target ?? ""}`.trim());
    assert.deepEqual(actions.slice(-3), ["sign-in admin", "sign-in-failed anonymous admin", "sign-in-failed anonymous nobody"]);
  });

  it("refuses a sixth attempt per user name without checking the password, then allows again once the window has moved on", async () => {
    const { signIn, db } = modules;
    await db.loginAttempt.deleteMany();
    const start = new Date(Date.now() + 60 * minute);
    for (let index = 0; index < 5; index++) {
      const at = new Date(start.getTime() + index * minute);
      assert.equal((await attempt("admin", "wrong password", `198.51.100.${index}`, at)).ok, false);
    }
    const refused = await attempt("admin", "correct horse battery", "198.51.100.99", new Date(start.getTime() + 5 * minute));
    assert.deepEqual(refused, { ok: false, reason: "throttled", message: "Too many sign-in attempts. Try again in 10 minutes." });
    const userId = (await db.user.findFirstOrThrow()).id;
    const reauth = await signIn.checkCurrentPassword(userId, "correct horse battery", "198.51.100.99", new Date(start.getTime() + 6 * minute));
    assert.equal(reauth.ok, false, "re-authentication shares the throttle");
    const later = await attempt("admin", "correct horse battery", "198.51.100.99", new Date(start.getTime() + 16 * minute));
    assert.equal(later.ok, false, "refused attempts count too: minutes 2, 3, 4, 5 and 6 are still in the window");
    const free = await attempt("admin", "correct horse battery", "198.51.100.99", new Date(start.getTime() + 19 * minute));
    assert.equal(free.ok, true, "at minute 19 only 4, 5, 6 and 16 are left");
    assert.equal(await db.auditEvent.count({ where: { action: "sign-in-throttled" } }), 2);
  });

  it("checks exactly 5 of 12 wrong passwords sent at once for one user name; the other 7 are throttled unchecked", async () => {
    const { db } = modules;
    await db.loginAttempt.deleteMany();
    const auditBefore = {
      failed: await db.auditEvent.count({ where: { action: "sign-in-failed", target: "burst" } }),
      throttled: await db.auditEvent.count({ where: { action: "sign-in-throttled", target: "burst" } }),
    };
    // Every attempt from its own address, so only the per-user-name limit applies.
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => attempt("burst", `wrong password ${index}`, `192.0.2.${100 + index}`)));
    const reasons = results.map((result) => (result.ok ? "passed" : result.reason));
    assert.equal(reasons.filter((reason) => reason === "wrong").length, 5, reasons.join(", "));
    assert.equal(reasons.filter((reason) => reason === "throttled").length, 7, reasons.join(", "));
    // A password is checked (scrypt runs) exactly when "sign-in-failed" is written; throttled attempts are refused before.
    assert.equal((await db.auditEvent.count({ where: { action: "sign-in-failed", target: "burst" } })) - auditBefore.failed, 5);
    assert.equal((await db.auditEvent.count({ where: { action: "sign-in-throttled", target: "burst" } })) - auditBefore.throttled, 7);
    assert.equal(await db.loginAttempt.count({ where: { username: "burst", succeeded: false } }), 12, "every attempt is recorded");
  });

  it("limits one address to 20 failures, whatever the user names, but not the shared unknown address", async () => {
    const { db } = modules;
    await db.loginAttempt.deleteMany();
    const at = new Date(Date.now() + 120 * minute);
    for (let index = 0; index < 20; index++) {
      assert.equal((await attempt(`guess${index}`, "x", "203.0.113.7", at)).ok, false);
    }
    assert.equal((await attempt("admin", "correct horse battery", "203.0.113.7", at)).ok, false);
    assert.equal((await attempt("admin", "correct horse battery", "203.0.113.8", at)).ok, true);
    for (let index = 0; index < 20; index++) await attempt(`other${index}`, "x", "unknown", at);
    assert.equal((await attempt("admin", "correct horse battery", "unknown", at)).ok, true);
  });

  it("prunes attempts older than a day on sign-in", async () => {
    const { db } = modules;
    await db.loginAttempt.create({ data: { username: "old", ip: "192.0.2.9", succeeded: false, at: new Date(Date.now() - 25 * 3600 * 1000) } });
    await attempt("admin", "correct horse battery", "192.0.2.1");
    assert.equal(await db.loginAttempt.count({ where: { username: "old" } }), 0);
  });

  it("ends sessions idle for 12 hours or 30 days old, and refreshes lastSeenAt at most once a minute", async () => {
    const { sessions, db } = modules;
    const user = await db.user.findFirstOrThrow();
    const start = new Date("2026-11-01T08:00:00Z");
    const { token } = await sessions.createSessionRecord(user.id, start);
    const id = sessions.hashSessionToken(token);
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();

    assert.equal((await sessions.findActiveSession(token, new Date(start.getTime() + 30_000)))?.user.username, "admin");
    assert.equal(await lastSeen(), start.getTime(), "not written within the minute");
    const eleven = new Date(start.getTime() + 11 * 3600 * 1000);
    assert.ok(await sessions.findActiveSession(token, eleven));
    assert.equal(await lastSeen(), eleven.getTime());
    assert.ok(await sessions.findActiveSession(token, new Date(eleven.getTime() + 11 * 3600 * 1000)), "still alive: used 11 hours ago");
    assert.equal(await sessions.findActiveSession(token, new Date(eleven.getTime() + 23 * 3600 * 1000 + 1)), null, "idle for 12 hours");
    assert.equal(await db.session.count({ where: { id } }), 0, "the expired row is deleted");

    const long = await sessions.createSessionRecord(user.id, start);
    let at = start.getTime();
    while (at < start.getTime() + 29 * 24 * 3600 * 1000) {
      at += 10 * 3600 * 1000;
      assert.ok(await sessions.findActiveSession(long.token, new Date(at)));
    }
    assert.equal(await sessions.findActiveSession(long.token, new Date(start.getTime() + 30 * 24 * 3600 * 1000)), null, "absolute expiry");
  });

  it("changing the password keeps the current session only; ending all sessions ends every one", async () => {
    const { sessions, signIn, db } = modules;
    const user = await db.user.findFirstOrThrow({ select: { id: true, username: true } });
    await db.session.deleteMany();
    const current = await sessions.createSessionRecord(user.id);
    const other = await sessions.createSessionRecord(user.id);
    await signIn.changePassword(userActor(user, "192.0.2.1"), {
      currentPassword: "correct horse battery",
      newPassword: "another long password",
      newPasswordConfirmation: "another long password",
      keepSessionId: sessions.hashSessionToken(current.token),
    });
    assert.ok(await sessions.findActiveSession(current.token));
    assert.equal(await sessions.findActiveSession(other.token), null);
    await db.loginAttempt.deleteMany();
    assert.equal(await signIn.verifyCurrentPassword(user.id, "correct horse battery"), false);
    assert.equal(await signIn.verifyCurrentPassword(user.id, "another long password"), true);
    assert.equal(await db.auditEvent.count({ where: { action: "password.change" } }), 1);
    await sessions.createSessionRecord(user.id);
    assert.equal(await sessions.endSessionsOfUser(user.id), 2);
    assert.equal(await db.session.count(), 0);
  });
});
