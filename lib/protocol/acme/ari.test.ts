import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAriCertId, parseRenewalInfo, parseRetryAfter } from "./ari";

describe("formatAriCertId", () => {
  it("matches RFC 9773 section 4.1's example", () => {
    assert.equal(formatAriCertId("69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4", "87654321"), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
  });
  it("keeps a serial whose high bit is clear as is, and drops redundant leading zeros", () => {
    assert.equal(formatAriCertId("01", "7f01"), "AQ.fwE");
    assert.equal(formatAriCertId("01", "00007f01"), "AQ.fwE");
    assert.equal(formatAriCertId("01", "0087"), "AQ.AIc");
  });
});

describe("parseRenewalInfo", () => {
  // Shaped like Let's Encrypt's responses (RFC 9773 section 4.2).
  it("reads the suggested window and the explanation URL", () => {
    assert.deepEqual(
      parseRenewalInfo({
        suggestedWindow: { start: "2026-01-03T00:00:00Z", end: "2026-01-07T00:00:00Z" },
        explanationURL: "https://acme.example.com/docs/ari",
      }),
      { windowStart: new Date("2026-01-03T00:00:00Z"), windowEnd: new Date("2026-01-07T00:00:00Z"), explanationUrl: "https://acme.example.com/docs/ari" },
    );
  });
  it("refuses an inverted or missing window", () => {
    assert.equal(parseRenewalInfo({ suggestedWindow: { start: "2026-01-07T00:00:00Z", end: "2026-01-03T00:00:00Z" } }), null);
    assert.equal(parseRenewalInfo({ suggestedWindow: { start: "soon" , end: "2026-01-03T00:00:00Z" } }), null);
    assert.equal(parseRenewalInfo({}), null);
    assert.equal(parseRenewalInfo("nope"), null);
  });
  it("drops an explanation URL that is not http(s)", () => {
    assert.equal(parseRenewalInfo({ suggestedWindow: { start: "2026-01-03T00:00:00Z", end: "2026-01-04T00:00:00Z" }, explanationURL: "javascript:alert(1)" })?.explanationUrl, null);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-26T00:00:00Z");
  it("reads delta-seconds", () => assert.equal(parseRetryAfter("21600", now), 21600));
  it("reads an HTTP date", () => assert.equal(parseRetryAfter("Thu, 26 Nov 2026 01:00:00 GMT", now), 3600));
  it("ignores garbage", () => assert.equal(parseRetryAfter("later", now), null));
});
