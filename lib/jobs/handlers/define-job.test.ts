import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { OperatorActionNeeded } from "@/lib/protocol/acme/challenge-responder";
import { JOB_OPTION_SCHEMAS } from "@/lib/data/queue/job-types";
import type { ClaimedJob } from "@/lib/data/queue/queue";
import { createJobContext, defineJob, endedJobOf, parseJobOptions, parseJobState } from "./define-job";

const orderState = z.object({ orderUrl: z.string().optional(), storedVersion: z.number().int().optional() });

const testJob = defineJob({
  type: ["issue", "renew"],
  options: JOB_OPTION_SCHEMAS.issue,
  state: orderState,
  run: async () => "done",
  onFailure: async () => {},
});

function row(fields: Partial<ClaimedJob> = {}): ClaimedJob {
  return { id: "job-1", type: "renew", certificateId: "certificate-1", accountId: null, state: null, options: null, attempts: 1, resumedAt: null, ...fields };
}

/** Runs `parse` and returns the AppError's message it throws. */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, "invalid_input");
    return error.userMessage;
  }
  assert.fail("the value was accepted");
}

describe("job options", () => {
  it("reads options that were never stored as {}", () => {
    assert.deepEqual(parseJobOptions(JOB_OPTION_SCHEMAS.deploy, null), {});
    assert.deepEqual(parseJobOptions(JOB_OPTION_SCHEMAS.issue, '{"issueAnyway":true}'), { issueAnyway: true });
  });

  it("refuses a revocation reason the CA does not know with the schema's own message", () => {
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.revoke, '{"revocationReason":"because"}')),
      "No valid revocation reason was given.",
    );
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.revoke, null)),
      "No valid revocation reason was given.",
    );
    assert.deepEqual(parseJobOptions(JOB_OPTION_SCHEMAS.revoke, '{"revocationReason":"superseded"}'), { revocationReason: "superseded" });
  });

  it("names the option that does not parse, or says the options are unreadable", () => {
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.issue, '{"issueAnyway":"yes"}')),
      'The job was queued with an invalid "issueAnyway" option. Start it again.',
    );
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.revoke, '{"revocationReason":"superseded","deleteAfterRevoke":{"actor":7,"ip":null}}')),
      'The job was queued with an invalid "deleteAfterRevoke.actor" option. Start it again.',
    );
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.issue, "{not json")),
      "The job was queued with unreadable options. Start it again.",
    );
    assert.equal(
      refusal(() => parseJobOptions(JOB_OPTION_SCHEMAS.issue, "[1]")),
      "The job was queued with unreadable options. Start it again.",
    );
  });
});

describe("job state", () => {
  it("starts from {} and keeps only the job's own keys in the typed state", () => {
    assert.deepEqual(parseJobState(orderState, null), {});
    assert.deepEqual(parseJobState(orderState, '{"orderUrl":"https://ca.test/order/1","manualDnsAskedAt":"2026-01-01T00:00:00.000Z"}'), {
      orderUrl: "https://ca.test/order/1",
    });
  });

  it("refuses saved progress that does not parse, naming the field", () => {
    assert.equal(
      refusal(() => parseJobState(orderState, '{"storedVersion":"two"}')),
      `The job's saved progress is unreadable (its "storedVersion"). Start it again.`,
    );
    assert.equal(
      refusal(() => parseJobState(orderState, "null")),
      "The job's saved progress is unreadable. Start it again.",
    );
    assert.equal(
      refusal(() => parseJobState(orderState, "{")),
      "The job's saved progress is unreadable. Start it again.",
    );
  });
});

describe("defineJob", () => {
  it("runs one type or several", () => {
    assert.deepEqual(testJob.types, ["issue", "renew"]);
    const single = defineJob({ type: "deploy", options: JOB_OPTION_SCHEMAS.deploy, state: z.object({}), run: async () => "ok", onFailure: async () => {} });
    assert.deepEqual(single.types, ["deploy"]);
  });

  it("refuses another type's options schema", () => {
    assert.throws(
      // The types already refuse it; the cast stands for a wiring mistake they would not see.
      () =>
        defineJob({
          type: "deploy",
          options: JOB_OPTION_SCHEMAS.revoke as unknown as typeof JOB_OPTION_SCHEMAS.deploy,
          state: z.object({}),
          run: async () => "ok",
          onFailure: async () => {},
        }),
      /the "deploy" job must parse its options with JOB_OPTION_SCHEMAS\["deploy"\]/,
    );
  });

  it("gives the handler its job, typed options and parsed state", () => {
    const resumedAt = new Date("2026-01-02T03:04:05.000Z");
    const context = createJobContext(
      testJob,
      row({ options: '{"issueAnyway":true}', state: '{"orderUrl":"https://ca.test/order/1"}', attempts: 2, resumedAt }),
    );
    assert.deepEqual(context.job, { id: "job-1", type: "renew", certificateId: "certificate-1", accountId: null, attempts: 2, resumedAt });
    assert.deepEqual(context.options, { issueAnyway: true });
    assert.deepEqual(context.state, { orderUrl: "https://ca.test/order/1" });
  });

  it("fails a job whose stored options or state do not parse, before the handler runs", () => {
    assert.equal(
      refusal(() => createJobContext(testJob, row({ options: '{"issueAnyway":1}' }))),
      'The job was queued with an invalid "issueAnyway" option. Start it again.',
    );
    assert.equal(
      refusal(() => createJobContext(testJob, row({ state: '{"orderUrl":5}' }))),
      `The job's saved progress is unreadable (its "orderUrl"). Start it again.`,
    );
  });

  it("refuses a row of a type the definition does not run", () => {
    assert.throws(() => createJobContext(testJob, row({ type: "revoke" })), /has the type "revoke", which this handler does not run/);
  });

  it("hands onFailure the options when they parse, null when they do not", () => {
    assert.deepEqual(endedJobOf(testJob, row({ options: '{"issueAnyway":true}' })).options, { issueAnyway: true });
    assert.equal(endedJobOf(testJob, row({ options: '{"issueAnyway":"no"}' })).options, null);
  });
});

describe("the responder's context", () => {
  it("shows the responder its own keys only, and when the operator resumed", () => {
    const resumedAt = new Date("2026-01-02T03:04:05.000Z");
    const context = createJobContext(
      testJob,
      row({ state: '{"orderUrl":"https://ca.test/order/1","manualDnsAskedAt":"2026-01-02T03:00:00.000Z"}', resumedAt }),
    );
    assert.deepEqual(context.responder.readState(), { manualDnsAskedAt: "2026-01-02T03:00:00.000Z" });
    assert.equal(context.responder.operatorResumedAt, resumedAt);
    assert.equal(context.responder.owner, "job-1");
  });

  it("refuses to let the responder write the job's own keys", async () => {
    const context = createJobContext(testJob, row());
    await assert.rejects(context.responder.saveState({ orderUrl: "https://elsewhere.test/" }), /may not write the job's own state \(orderUrl\)/);
  });

  it("parks the order through askOperator", async () => {
    const context = createJobContext(testJob, row());
    await assert.rejects(context.responder.askOperator("Create the record.", { notice: "Create _acme-challenge.example.test" }), (error: unknown) => {
      assert.ok(error instanceof OperatorActionNeeded);
      assert.equal(error.instructions, "Create the record.");
      assert.equal(error.notice, "Create _acme-challenge.example.test");
      return true;
    });
  });
});
