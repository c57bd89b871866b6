import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rateLimitsSchema } from "./account.validation";
import { describeRateLimits, rateLimitsOf } from "./rate-limits";

const id = "cm0000000000000000000000a";

describe("rate limits", () => {
  it("use an account's own limit where it set one, else Let's Encrypt's", () => {
    assert.deepEqual(rateLimitsOf({ ordersPer3HoursLimit: 10, failedValidationsPerHourLimit: null }), {
      ordersPer3HoursLimit: 10,
      failedValidationsPerHourLimit: 5,
    });
  });

  it("are described with the form's labels", () => {
    assert.equal(
      describeRateLimits({ ordersPer3HoursLimit: 300, failedValidationsPerHourLimit: 5 }),
      "300 new orders per 3 hours, 5 failed validations per name per hour",
    );
  });

  it("name the limit that is over its maximum", () => {
    const result = rateLimitsSchema.safeParse({ id, ordersPer3HoursLimit: 100_001, failedValidationsPerHourLimit: 10_001 });
    assert.equal(result.success, false);
    assert.deepEqual(
      result.error?.issues.map((issue) => issue.message),
      ["At most 100,000 new orders per 3 hours", "At most 10,000 failed validations per name per hour"],
    );
  });
});
