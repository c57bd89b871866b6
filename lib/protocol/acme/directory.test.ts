import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import { OutboundTimeoutError } from "@/lib/protocol/net/request-timeouts";
import { describeConnectionError } from "./directory";

describe("describeConnectionError", () => {
  it("says a CA did not answer within the limit, and whether it was the connection or the answer", () => {
    const answer = describeConnectionError(new OutboundTimeoutError("answer", 10_000, "ca.example:443"), "ca.example");
    assert.equal(answer.code, "acme_unreachable");
    assert.equal(answer.isRetryable, true);
    assert.equal(answer.reason, "ca-unreachable");
    assert.equal(
      answer.userMessage,
      "The CA at ca.example did not answer within 10 s: it accepted the connection but sent nothing back. It may be stopped, overloaded or stuck; CertDeck tries again later.",
    );
    const connect = describeConnectionError(new OutboundTimeoutError("connect", 1500, "ca.example:443"), "ca.example");
    assert.equal(
      connect.userMessage,
      "The CA at ca.example did not answer within 1.5 s: no connection could be made. A firewall may drop the packets, or the address is wrong.",
    );
    const total = describeConnectionError(new OutboundTimeoutError("total", 30_000, "ca.example:443"), "ca.example");
    assert.match(total.userMessage, /^The CA at ca\.example did not answer within 30 s: it was still sending its answer\./);
  });

  it("passes the outbound policy's refusals through unchanged", () => {
    const refusal = new AppError("invalid_input", "CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.");
    assert.equal(describeConnectionError(refusal, "169.254.169.254"), refusal);
  });

  it("keeps its words for refused and reset connections", () => {
    assert.match(describeConnectionError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "ca.example").userMessage, /refused the connection/);
    assert.match(describeConnectionError(Object.assign(new Error("x"), { code: "ECONNRESET" }), "ca.example").userMessage, /closed the connection abruptly/);
  });
});
