import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, APP_ERROR_CODES, GENERIC_ERROR_MESSAGE } from "@/lib/core/app-error";
import { API_ERROR_STATUS, toHttpError } from "@/lib/web/http-error";

describe("AppError → HTTP", () => {
  it("gives every AppError code a documented API code and status", () => {
    for (const code of APP_ERROR_CODES) {
      const { status, body } = toHttpError(new AppError(code, "What happened and what to do."));
      assert.equal(status, API_ERROR_STATUS[body.error.code], code);
      assert.equal(body.error.message, "What happened and what to do.", code);
    }
  });

  it("maps the common codes to the statuses clients expect", () => {
    const statusOf = (code: (typeof APP_ERROR_CODES)[number]) => toHttpError(new AppError(code, "x")).status;
    assert.equal(statusOf("bad_request"), 400);
    assert.equal(statusOf("unauthorized"), 401);
    assert.equal(statusOf("forbidden"), 403);
    assert.equal(statusOf("not_found"), 404);
    assert.equal(statusOf("conflict"), 409);
    assert.equal(statusOf("payload_too_large"), 413);
    assert.equal(statusOf("unsupported_media_type"), 415);
    assert.equal(statusOf("invalid_input"), 422);
    assert.equal(statusOf("too_many_requests"), 429);
    assert.equal(statusOf("acme_unreachable"), 502);
  });

  it("answers anything else with a generic 500 that reveals nothing", () => {
    const { status, body } = toHttpError(new TypeError("Cannot read properties of undefined (reading 'config')"));
    assert.equal(status, 500);
    assert.deepEqual(body, { error: { code: "internal_error", message: GENERIC_ERROR_MESSAGE } });
  });

  it('names the fields, the whole body as "body", keys such as __proto__ included', () => {
    const fieldErrors = Object.create(null) as Record<string, string[]>;
    fieldErrors[""] = ["Send a JSON object"];
    fieldErrors.names = ["Give at least one name"];
    fieldErrors.__proto__ = ["Unknown field"];
    const { body } = toHttpError(new AppError("invalid_input", "Fix these fields.", { fieldErrors }));
    assert.deepEqual(Object.keys(body.error.fields ?? {}), ["body", "names", "__proto__"]);
    assert.deepEqual(JSON.parse(JSON.stringify(body)).error.fields.__proto__, ["Unknown field"]);
  });

  it("sends Retry-After and the Bearer challenge where they apply", () => {
    assert.equal(toHttpError(new AppError("rate_limit_guard", "Later.", { retryAfterSeconds: 90.2 })).headers["retry-after"], "91");
    assert.match(toHttpError(new AppError("unauthorized", "Send a token.")).headers["www-authenticate"], /^Bearer /);
    assert.equal(toHttpError(new AppError("conflict", "Busy.")).headers["cache-control"], "no-store");
  });
});
