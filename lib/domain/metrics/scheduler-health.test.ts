import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markSchedulerStarted, readSchedulerHealth, recordSchedulerTick, schedulerLagSeconds } from "./scheduler-health";

describe("scheduler health", () => {
  it("counts ticks and measures lag beyond one interval since the last tick finished", () => {
    const start = new Date("2026-11-26T12:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    markSchedulerStarted(60_000, start);
    const health = readSchedulerHealth()!;
    assert.equal(schedulerLagSeconds(health, at(30)), 0);
    assert.equal(schedulerLagSeconds(health, at(90)), 30, "no tick finished 90 s after start");

    recordSchedulerTick({ startedAt: at(0), finishedAt: at(2), isSuccess: true });
    recordSchedulerTick({ startedAt: at(60), finishedAt: at(60.5), isSuccess: false });
    assert.deepEqual(health.ticks, { succeeded: 1, failed: 1 });
    assert.equal(health.lastTickDurationMs, 500);
    assert.deepEqual(health.lastTickFinishedAt, at(60.5));
    assert.equal(schedulerLagSeconds(health, at(120)), 0);
    assert.equal(schedulerLagSeconds(health, at(300.5)), 180, "a hung tick shows as growing lag");
  });
});
