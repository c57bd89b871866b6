import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeLabelValue, renderExposition } from "./exposition";

describe("Prometheus text exposition", () => {
  it("writes HELP and TYPE once per family, then its samples", () => {
    const text = renderExposition([
      {
        name: "certdeck_certificates",
        help: "Certificates by state.",
        type: "gauge",
        samples: [
          { labels: { status: "valid" }, value: 3 },
          { labels: { status: "failed" }, value: 0 },
        ],
      },
      { name: "certdeck_jobs_total", help: "Finished jobs.", type: "counter", samples: [{ labels: { type: "renew", result: "succeeded" }, value: 12 }] },
      { name: "certdeck_scheduler_lag_seconds", help: "Lag.", type: "gauge", samples: [{ value: 0.25 }] },
    ]);
    assert.equal(
      text,
      [
        "# HELP certdeck_certificates Certificates by state.",
        "# TYPE certdeck_certificates gauge",
        'certdeck_certificates{status="valid"} 3',
        'certdeck_certificates{status="failed"} 0',
        "# HELP certdeck_jobs_total Finished jobs.",
        "# TYPE certdeck_jobs_total counter",
        'certdeck_jobs_total{type="renew",result="succeeded"} 12',
        "# HELP certdeck_scheduler_lag_seconds Lag.",
        "# TYPE certdeck_scheduler_lag_seconds gauge",
        "certdeck_scheduler_lag_seconds 0.25",
        "",
      ].join("\n"),
    );
  });

  it("escapes label values and HELP text as the format requires", () => {
    assert.equal(escapeLabelValue('Evil "CA" \\ two\nlines'), 'Evil \\"CA\\" \\\\ two\\nlines');
    const text = renderExposition([{ name: "m", help: 'a \\ b\nc "quoted"', type: "gauge", samples: [{ labels: { issuer: 'R"3' }, value: 1 }] }]);
    assert.equal(text, '# HELP m a \\\\ b\\nc "quoted"\n# TYPE m gauge\nm{issuer="R\\"3"} 1\n');
  });

  it("writes timestamps in full and special values by their names", () => {
    const text = renderExposition([
      {
        name: "t",
        help: "t",
        type: "gauge",
        samples: [
          { labels: { k: "a" }, value: 1798761600.5 },
          { labels: { k: "b" }, value: NaN },
          { labels: { k: "c" }, value: Infinity },
          { labels: { k: "d" }, value: -Infinity },
        ],
      },
    ]);
    assert.deepEqual(text.trim().split("\n").slice(2), ['t{k="a"} 1798761600.5', 't{k="b"} NaN', 't{k="c"} +Inf', 't{k="d"} -Inf']);
  });

  it("refuses names the format does not allow", () => {
    assert.throws(() => renderExposition([{ name: "certdeck-jobs", help: "", type: "gauge", samples: [] }]), /invalid metric name/);
    assert.throws(
      () => renderExposition([{ name: "m", help: "", type: "gauge", samples: [{ labels: { "bad-label": "x" }, value: 1 }] }]),
      /invalid label name/,
    );
    assert.throws(() => renderExposition([{ name: "m", help: "", type: "gauge", samples: [{ labels: { __name__: "x" }, value: 1 }] }]), /invalid label name/);
  });
});
