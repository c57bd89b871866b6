import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizePuller } from "./puller-status";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe("a puller's status", () => {
  it("is behind until the agent reports the current version installed", () => {
    assert.deepEqual(summarizePuller([], 1), { installedVersion: null, installedAt: null, lastReport: null, isBehind: true });
    assert.equal(summarizePuller([], null).isBehind, false, "nothing issued: nothing to be behind");
    const installed1 = { version: 1, status: "installed", error: null, finishedAt: at(1) };
    assert.deepEqual(summarizePuller([installed1], 1), { installedVersion: 1, installedAt: at(1), lastReport: installed1, isBehind: false });
    assert.equal(summarizePuller([installed1], 2).isBehind, true);
  });

  it("a failed report of a newer version leaves the installed one, and is the last report", () => {
    const installed1 = { version: 1, status: "installed", error: null, finishedAt: at(1) };
    const failed2 = { version: 2, status: "failed", error: "reload failed", finishedAt: at(5) };
    const status = summarizePuller([failed2, installed1], 2);
    assert.equal(status.installedVersion, 1);
    assert.equal(status.isBehind, true);
    assert.equal(status.lastReport, failed2);
  });

  it("ignores rows that are not the agent's word", () => {
    const pending = { version: 3, status: "pending", error: null, finishedAt: null };
    const installed2 = { version: 2, status: "installed", error: null, finishedAt: at(2) };
    assert.deepEqual(summarizePuller([pending, installed2], 3), { installedVersion: 2, installedAt: at(2), lastReport: installed2, isBehind: true });
  });
});
