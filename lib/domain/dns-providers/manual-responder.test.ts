import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorActionNeeded, type ResponderContext } from "@/lib/protocol/acme/challenge-responder";
import { addTxtValue, createManualDnsResponder, describeTxtRecords, MANUAL_DNS_DONE_LABEL, txtRecordNameFor } from "./manual-responder";
import { isSameTxtRecords } from "./manual-state";

const dns = (value: string) => ({ type: "dns" as const, value });

describe("manual DNS records", () => {
  it("puts a wildcard and its base name under one TXT name with two values", () => {
    let records = addTxtValue([], { identifier: dns("example.test"), keyAuthorization: "base-value" });
    records = addTxtValue(records, { identifier: dns("example.test"), keyAuthorization: "wildcard-value" });
    records = addTxtValue(records, { identifier: dns("www.example.test"), keyAuthorization: "www-value" });
    assert.deepEqual(records, [
      { name: "_acme-challenge.example.test", values: ["base-value", "wildcard-value"] },
      { name: "_acme-challenge.www.example.test", values: ["www-value"] },
    ]);
    assert.equal(
      describeTxtRecords(records),
      '_acme-challenge.example.test TXT "base-value", "wildcard-value"; _acme-challenge.www.example.test TXT "www-value"',
    );
  });

  it("names the record after the identifier, without a trailing dot", () => {
    assert.equal(txtRecordNameFor({ identifier: dns("Example.test.") }), "_acme-challenge.Example.test");
  });

  it("counts a confirmation only for the same records, in any order and case", () => {
    const shown = [
      { name: "_acme-challenge.example.test", values: ["b", "a"] },
      { name: "_acme-challenge.www.example.test", values: ["c"] },
    ];
    assert.equal(
      isSameTxtRecords(shown, [
        { name: "_acme-challenge.WWW.example.test.", values: ["c"] },
        { name: "_acme-challenge.example.test", values: ["a", "b"] },
      ]),
      true,
    );
    assert.equal(isSameTxtRecords(shown, [{ name: "_acme-challenge.example.test", values: ["a", "b"] }]), false);
    assert.equal(
      isSameTxtRecords(shown, [
        { name: "_acme-challenge.example.test", values: ["a", "new"] },
        { name: "_acme-challenge.www.example.test", values: ["c"] },
      ]),
      false,
    );
    assert.equal(isSameTxtRecords(undefined, shown), false);
  });
});

describe("the manual DNS responder", () => {
  /** A responder context held in memory: what the job layer gives a responder. */
  function fakeContext(operatorResumedAt: Date | null, saved: Record<string, unknown> = {}) {
    const state: Record<string, unknown> = { ...saved };
    const logged: string[] = [];
    const context: ResponderContext = {
      owner: "job-1",
      log: async (_step, message) => void logged.push(message),
      readState: () => ({ ...state }),
      saveState: async (patch) => void Object.assign(state, patch),
      operatorResumedAt,
      askOperator: async (instructions, options) => {
        throw new OperatorActionNeeded(instructions, options);
      },
    };
    return { context, state, logged };
  }
  const challenge = { identifier: dns("example.test"), wildcard: false, token: "token", keyAuthorization: "txt-value" };

  it("asks for the records, saving them and when it asked, with a notice naming every value", async () => {
    const { context, state, logged } = fakeContext(null);
    const responder = createManualDnsResponder({ name: "By hand", propagationTimeoutSeconds: 5 }, context);
    await responder.publish(challenge);
    await assert.rejects(responder.awaitReady!(), (error: unknown) => {
      assert.ok(error instanceof OperatorActionNeeded);
      assert.equal(
        error.instructions,
        `Waiting for you: create this TXT record at your DNS host, then press "${MANUAL_DNS_DONE_LABEL}" on the certificate's page.`,
      );
      assert.equal(
        error.notice,
        `Create these TXT records at your DNS host: _acme-challenge.example.test TXT "txt-value"; then press "${MANUAL_DNS_DONE_LABEL}" on the certificate's page`,
      );
      return true;
    });
    assert.deepEqual(state.manualDnsRecords, [{ name: "_acme-challenge.example.test", values: ["txt-value"] }]);
    assert.equal(state.manualDnsConfirmedAt, null);
    assert.match(String(state.manualDnsAskedAt), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(logged, ['Create at your DNS host: _acme-challenge.example.test TXT "txt-value"']);
  });

  it("does not count a resume from before it asked as the operator's Done", async () => {
    const askedAt = "2026-01-02T03:00:00.000Z";
    const records = [{ name: "_acme-challenge.example.test", values: ["txt-value"] }];
    const { context, state } = fakeContext(new Date("2026-01-02T02:59:59.000Z"), { manualDnsRecords: records, manualDnsAskedAt: askedAt });
    const responder = createManualDnsResponder({ name: "By hand", propagationTimeoutSeconds: 5 }, context);
    await responder.publish(challenge);
    await assert.rejects(responder.awaitReady!(), OperatorActionNeeded);
    assert.equal(state.manualDnsConfirmedAt, null);
    assert.ok(Date.parse(String(state.manualDnsAskedAt)) > Date.parse(askedAt), "it asked again");
  });
});
