/**
 * The settings, token and notification-channel commands on a real SQLite file: what they save,
 * the one audit entry each writes (naming what changed, never a secret), their refusals as
 * AppError with the field at fault, and a read-only API token refused in the one place rights
 * are checked.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppError } from "../lib/core/app-error";
import { apiTokenActor, userActor } from "../lib/domain/command/actor";

describe("settings, API token and channel commands", () => {
  let dataDir: string;
  let modules: {
    db: typeof import("../lib/data/client").db;
    settings: typeof import("../lib/domain/settings/update-settings");
    queries: typeof import("../lib/domain/settings/queries");
    tokens: typeof import("../lib/domain/api-tokens/api-tokens");
    channels: typeof import("../lib/domain/notifications/channels");
  };
  const admin = userActor({ id: "admin", username: "admin" }, "192.0.2.10");
  const audit = async (action: string) =>
    (await modules.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } })).map((event) => ({
      actor: event.actor,
      target: event.target,
      ip: event.ip,
      detail: event.detail ? JSON.parse(event.detail) : null,
    }));

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-settings-"));
    process.env.CERTDECK_DATA_DIR = dataDir;
    await (await import("../lib/data/migrate")).applyMigrations(dataDir);
    modules = {
      db: (await import("../lib/data/client")).db,
      settings: await import("../lib/domain/settings/update-settings"),
      queries: await import("../lib/domain/settings/queries"),
      tokens: await import("../lib/domain/api-tokens/api-tokens"),
      channels: await import("../lib/domain/notifications/channels"),
    };
  });

  after(async () => {
    await modules?.db.$disconnect();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("saves a form's settings normalized, audits the names of those that changed, and nothing when none did", async () => {
    const { settings, queries } = modules;
    const saved = await settings.updateNetworkSettings(admin, {
      dnsResolvers: "1.1.1.1 9.9.9.9:53",
      publicIPv4: "",
      publicIPv6: "2001:DB8::1",
      validationHttpPort: 80,
    });
    assert.deepEqual(saved, { dnsResolvers: "1.1.1.1, 9.9.9.9:53", publicIPv4: "", publicIPv6: "2001:db8::1", validationHttpPort: 80 });
    assert.deepEqual(await queries.readSettings("dnsResolvers", "publicIPv6"), { dnsResolvers: "1.1.1.1, 9.9.9.9:53", publicIPv6: "2001:db8::1" });
    await settings.updateNetworkSettings(admin, { dnsResolvers: "1.1.1.1, 9.9.9.9:53", publicIPv4: "", publicIPv6: "2001:db8::1", validationHttpPort: 80 });
    assert.deepEqual(await audit("settings.change"), [
      { actor: "admin", target: "Network", ip: "192.0.2.10", detail: { changed: ["dnsResolvers", "publicIPv6"] } },
    ]);
  });

  it("never audits a hook's command, which may hold a credential", async () => {
    const { settings, db } = modules;
    const command = "curl -u deploy:hunter2-secret https://lb.example/reload";
    await settings.updateHookDefaults(admin, { defaultPreHook: "", defaultPostHook: "", defaultDeployHook: `${command}\r\n`, hookTimeoutSeconds: 90 });
    assert.deepEqual(await modules.queries.readSettings("defaultDeployHook", "hookTimeoutSeconds"), { defaultDeployHook: command, hookTimeoutSeconds: 90 });
    const [entry] = (await audit("settings.change")).slice(-1);
    assert.deepEqual(entry.detail, { changed: ["defaultDeployHook", "hookTimeoutSeconds"] });
    assert.equal(await db.auditEvent.count({ where: { detail: { contains: "hunter2" } } }), 0);
  });

  it("refuses invalid input per field, with the form's messages, and saves nothing", async () => {
    const { settings, queries } = modules;
    await assert.rejects(settings.updateChallengeSettings(admin, { standalonePort: Number("abc") }), (error: AppError) => {
      assert.equal(error.code, "invalid_input");
      assert.deepEqual({ ...error.fieldErrors }, { standalonePort: ["Enter a port number"] });
      return true;
    });
    await assert.rejects(settings.updateMaintenanceWindow(admin, { maintenanceWindow: "0 3 * * 8" }), (error: AppError) => {
      assert.deepEqual({ ...error.fieldErrors }, { maintenanceWindow: ['"0 3 * * 8": day-of-week must be 0-7 (or SUN-SAT)'] });
      return true;
    });
    await assert.rejects(settings.updateMetricsAccess(admin, { metricsAllowFrom: "10.0.0.0/33" }), { code: "invalid_input" });
    assert.deepEqual(await queries.readSettings("maintenanceWindow", "metricsAllowFrom"), { maintenanceWindow: "", metricsAllowFrom: "" });
  });

  it("audits the metrics allow-list itself (addresses, not secrets)", async () => {
    await modules.settings.updateMetricsAccess(admin, { metricsAllowFrom: "127.0.0.1 10.0.0.0/8" });
    await modules.settings.updateMetricsAccess(admin, { metricsAllowFrom: "" });
    const entries = (await audit("settings.change")).filter((entry) => entry.target === "Metrics access");
    assert.deepEqual(
      entries.map((entry) => entry.detail),
      [{ metricsAllowFrom: "127.0.0.1, 10.0.0.0/8" }, { metricsAllowFrom: "(token only)" }],
    );
  });

  it("creates and revokes API tokens, audited by prefix; a token may neither make tokens nor, read-only, change settings", async () => {
    const { tokens, settings } = modules;
    const created = await tokens.createApiToken(admin, { name: "deploy script", scope: "write" });
    assert.match(created.token, /^cdk_/);
    await assert.rejects(tokens.createApiToken(admin, { name: "deploy script", scope: "read" }), (error: AppError) => {
      assert.deepEqual(error.fieldErrors, { name: ['An active token is already named "deploy script": choose another name, or revoke that one first'] });
      return true;
    });
    const writer = apiTokenActor({ id: created.id, name: "deploy script", scope: "write" }, null);
    await assert.rejects(tokens.createApiToken(writer, { name: "another", scope: "read" }), { code: "forbidden" });
    const reader = apiTokenActor({ id: "reader", name: "inventory", scope: "read" }, null);
    await assert.rejects(settings.updateChallengeSettings(reader, { standalonePort: 8080 }), {
      code: "forbidden",
      userMessage: 'The token "inventory" is read-only, so it cannot change settings. Use a read-write token (Settings → API tokens).',
    });

    await tokens.revokeApiToken(admin, { id: created.id });
    await assert.rejects(tokens.revokeApiToken(admin, { id: created.id }), { code: "conflict", userMessage: "That token was already revoked." });
    await assert.rejects(tokens.revokeApiToken(admin, { id: "doesnotexist" }), { code: "not_found", userMessage: "That token does not exist." });
    assert.deepEqual(
      [...(await audit("api-token.create")), ...(await audit("api-token.revoke"))].map((entry) => [entry.target, entry.detail]),
      [
        ["deploy script", { scope: "write", prefix: created.prefix }],
        ["deploy script", { prefix: created.prefix }],
      ],
    );
    assert.equal(await modules.db.auditEvent.count({ where: { detail: { contains: created.token } } }), 0, "never the token itself");
  });

  it("adds, disables and deletes a channel, its settings encrypted and out of the audit log", async () => {
    const { channels, db } = modules;
    const password = "smtp-password-never-audited";
    await assert.rejects(
      channels.addNotificationChannel(admin, {
        type: "email",
        host: "smtp.example.com",
        port: 70000,
        security: "starttls",
        from: "a@example.com",
        to: "b@example.com",
      }),
      (error: AppError) => {
        assert.deepEqual(Object.keys(error.fieldErrors ?? {}), ["port"]);
        return true;
      },
    );
    const { id } = await channels.addNotificationChannel(admin, {
      type: "email",
      host: "smtp.example.com",
      security: "starttls",
      username: "certdeck",
      password,
      from: "certdeck@example.com",
      to: "ops@example.com",
    });
    const row = await db.notificationChannel.findUniqueOrThrow({ where: { id }, omit: { configEnc: false } });
    assert.ok(!row.configEnc.includes(password));
    await channels.setNotificationChannelEnabled(admin, { id, isEnabled: false });
    await channels.setNotificationChannelEnabled(admin, { id, isEnabled: false });
    await channels.deleteNotificationChannel(admin, { id });
    await assert.rejects(channels.deleteNotificationChannel(admin, { id }), { code: "not_found", userMessage: "That channel does not exist any more." });
    const actions = (await db.auditEvent.findMany({ where: { action: { startsWith: "channel." } }, orderBy: { id: "asc" } })).map(
      (event) => `${event.action} ${event.target}`,
    );
    assert.deepEqual(actions, [
      "channel.add E-mail to ops@example.com",
      "channel.disable E-mail to ops@example.com",
      "channel.delete E-mail to ops@example.com",
    ]);
    assert.equal(await db.auditEvent.count({ where: { detail: { contains: password } } }), 0);
  });
});
