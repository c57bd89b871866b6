import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePreflightReport, worstStatus, type PreflightReport } from "./preflight-types";

describe("worstStatus", () => {
  it("ranks fail over warn over pass", () => {
    assert.equal(worstStatus([]), "pass");
    assert.equal(worstStatus(["pass", "pass"]), "pass");
    assert.equal(worstStatus(["pass", "warn", "pass"]), "warn");
    assert.equal(worstStatus(["warn", "fail", "pass"]), "fail");
    assert.equal(worstStatus([{ status: "warn" }, { status: "pass" }]), "warn");
  });
});

describe("parsePreflightReport", () => {
  const report: PreflightReport = {
    checkedAt: "2026-05-01T10:00:00.000Z",
    status: "fail",
    checks: [
      {
        kind: "host-address",
        identifier: "shop.example.com",
        status: "fail",
        message: "shop.example.com has A 203.0.113.9, but this host is 198.51.100.4.",
        fix: "Change it.",
        detail: { records: ["203.0.113.9"] },
      },
      { kind: "standalone-port", status: "pass", message: "Port 80 is free." },
    ],
  };

  it("reads back what was stored", () => {
    assert.deepEqual(parsePreflightReport(JSON.stringify(report)), report);
  });

  it("recomputes the overall status from the checks", () => {
    assert.equal(parsePreflightReport(JSON.stringify({ ...report, status: "pass" }))?.status, "fail");
  });

  it("returns null for nothing, broken JSON or another shape", () => {
    assert.equal(parsePreflightReport(null), null);
    assert.equal(parsePreflightReport(""), null);
    assert.equal(parsePreflightReport("{"), null);
    assert.equal(parsePreflightReport(JSON.stringify({ checkedAt: "yesterday", checks: [] })), null);
    assert.equal(parsePreflightReport(JSON.stringify({ ...report, checks: [{ kind: "smtp", status: "pass", message: "x" }] })), null);
  });
});
