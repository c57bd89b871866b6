import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { waitFor } from "@/lib/testbed/wait-for";

describe("waitFor", () => {
  it("returns the first answer, checking again in between", async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    assert.deepEqual(value, { calls: 3 });
  });

  it("waits until the condition holds for the value", async () => {
    let status = 0;
    const job = await waitFor(async () => ({ status: ++status }), { until: (job) => job.status === 4, intervalMs: 1 });
    assert.equal(job.status, 4);
  });

  it("gives up at the deadline, naming what it waited for and what it saw last", async () => {
    await assert.rejects(
      waitFor(() => ({ status: "running" }), {
        until: (job) => job.status === "done",
        timeoutMs: 30,
        intervalMs: 5,
        what: (last) => `the job (still ${last?.status})`,
      }),
      { message: "timed out after 30 ms waiting for the job (still running)" },
    );
  });

  it("ends the wait with the check's error, or retries it when asked and names it on timeout", async () => {
    await assert.rejects(
      waitFor(() => Promise.reject(new Error("gone")), { timeoutMs: 1000 }),
      { message: "gone" },
    );
    await assert.rejects(
      waitFor(() => Promise.reject(new Error("refused")), { retryErrors: true, timeoutMs: 20, intervalMs: 5, what: "the server" }),
      {
        message: "timed out after 20 ms waiting for the server (last error: refused)",
      },
    );
  });
});
