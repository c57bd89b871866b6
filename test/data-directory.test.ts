/**
 * Issue #13, finding 10: a data directory that already existed with mode 0755 stays readable by
 * every user unless the start tightens it. What the server's start-up runs
 * (lib/web/server-process.ts), on a real directory; e2e/security-edges.spec.ts checks the same
 * through the real server.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

describe("the data directory's mode at start", () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), "certdeck-data-mode-"));
  });
  after(async () => rm(base, { recursive: true, force: true }));

  async function startUp(directory: string): Promise<string[]> {
    const { secureDataDirectory } = await import("../lib/web/server-process");
    const logged: string[] = [];
    const original = { warn: console.warn, error: console.error };
    console.warn = (...parts: unknown[]) => logged.push(parts.join(" "));
    console.error = (...parts: unknown[]) => logged.push(parts.join(" "));
    try {
      await secureDataDirectory(directory);
    } finally {
      Object.assign(console, original);
    }
    return logged;
  }

  it("tightens a pre-existing 0755 directory to 0700 and says so in the log, once", async () => {
    const directory = path.join(base, "data");
    await mkdir(directory);
    await chmod(directory, 0o755);
    const logged = await startUp(directory);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
    assert.deepEqual(logged, [`[certdeck] the data directory ${directory} was readable by other users (mode 0755): changed to 0700, owner only`]);
    assert.deepEqual(await startUp(directory), [], "nothing to say the next time");
  });

  it("leaves an owner-only directory alone (0700, 0500)", async () => {
    for (const mode of [0o700, 0o500]) {
      const directory = path.join(base, `private-${mode.toString(8)}`);
      await mkdir(directory);
      await chmod(directory, mode);
      assert.deepEqual(await startUp(directory), []);
      assert.equal((await stat(directory)).mode & 0o777, mode);
      await chmod(directory, 0o700);
    }
  });

  it("a new data directory is created owner-only by the migration", async () => {
    const directory = path.join(base, "fresh");
    const { applyMigrations } = await import("../lib/data/migrate");
    await applyMigrations(directory);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
    assert.equal((await stat(path.join(directory, "certdeck.db"))).mode & 0o777, 0o600);
  });
});
