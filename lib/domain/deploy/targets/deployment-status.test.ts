import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextDeployAttemptAt, summarizeDeployParts } from "@/lib/domain/deploy/targets/deployment-status";

describe("a version's deploy status from its parts", () => {
  it("a lone deploy hook reads as it did before there were targets", () => {
    assert.deepEqual(summarizeDeployParts([{ label: null, status: "failed", error: 'The deploy hook "x" exited with code 1' }]), {
      status: "deploy-failed",
      error: 'The deploy hook "x" exited with code 1',
    });
    assert.deepEqual(summarizeDeployParts([{ label: null, status: "deployed", error: null }]), { status: "deployed", error: null });
    assert.deepEqual(summarizeDeployParts([]), { status: "deployed", error: null }, "nothing to deploy: the files in live/ are the deploy");
  });

  it("fails when one part failed or rolled back, naming each target", () => {
    const summary = summarizeDeployParts([
      { label: null, status: "deployed", error: null },
      { label: "web-1", status: "verified", error: null },
      { label: "web-2", status: "rolled-back", error: "Deploy failed, rolled back to version 3: nginx still serves version 3." },
      { label: "backup", status: "failed", error: null },
    ]);
    assert.deepEqual(summary, {
      status: "deploy-failed",
      error: "web-2: Deploy failed, rolled back to version 3: nginx still serves version 3. · backup: The deploy failed.",
    });
  });

  it("waits while one part waits for the window, is pending while one is not there yet, deployed when all are", () => {
    assert.equal(
      summarizeDeployParts([
        { label: "a", status: "verified", error: null },
        { label: "b", status: "waiting-window", error: null },
      ]).status,
      "waiting-window",
    );
    assert.equal(
      summarizeDeployParts([
        { label: "a", status: "verified", error: null },
        { label: "pull", status: "pending", error: null },
      ]).status,
      "pending",
    );
    assert.equal(summarizeDeployParts([{ label: "a", status: "running", error: null }]).status, "pending");
    assert.equal(
      summarizeDeployParts([
        { label: "a", status: "verified", error: null },
        { label: "b", status: "deployed", error: null },
        { label: "c", status: "installed", error: null },
      ]).status,
      "deployed",
    );
  });
});

describe("deploy retries", () => {
  it("after 1 min, 5 min, 15 min, 1 h and 4 h, then no more", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const delays = [1, 2, 3, 4, 5, 6].map((attempts) => nextDeployAttemptAt(attempts, now)?.getTime());
    assert.deepEqual(
      delays.map((at) => (at === undefined ? null : (at - now.getTime()) / 60_000)),
      [1, 5, 15, 60, 240, null],
    );
  });
});
