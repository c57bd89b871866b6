import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeRegistrationFailure, missingEabError } from "./registration-errors";

// Problem documents as Pebble 2.4 answers newAccount (recorded).
const WRONG_HMAC = {
  type: "urn:ietf:params:acme:error:unauthorized",
  detail: "external account binding JWS verification error: square/go-jose: error in cryptographic primitive",
  status: 403,
};
const UNKNOWN_KID = {
  type: "urn:ietf:params:acme:error:unauthorized",
  detail: "the field 'kid' references a key that is not known to the ACME server",
  status: 403,
};
const EAB_REQUIRED = {
  type: "urn:ietf:params:acme:error:externalAccountRequired",
  detail: "ACME server policy requires newAccount requests must include a value for the 'externalAccountBinding' field",
  status: 403,
};

const zerossl = "https://acme.zerossl.com/v2/DV90";
const custom = "https://ca.internal:9000/acme/acme/directory";

describe("describeRegistrationFailure", () => {
  it("says a refused binding means a wrong key ID or HMAC key, and where to copy them from", () => {
    const error = describeRegistrationFailure(new Error(WRONG_HMAC.detail), {
      directoryUrl: zerossl,
      hasSentEab: true,
      lastProblem: { problem: WRONG_HMAC, retryAfterSeconds: null },
    });
    assert.match(
      error.userMessage,
      /^The CA refused the External Account Binding: the key ID or HMAC key is wrong \(copy both again from ZeroSSL dashboard → Developer → EAB Credentials → Generate\)/,
    );
    assert.match(error.userMessage, /The CA said: "external account binding JWS verification error/);
    assert.equal(error.reason, "unauthorized-account");
    assert.equal(error.isRetryable, false);
  });

  it("treats an unknown key ID the same way, pointing a custom CA's user at its administrator", () => {
    const error = describeRegistrationFailure(new Error(UNKNOWN_KID.detail), {
      directoryUrl: custom,
      hasSentEab: true,
      lastProblem: { problem: UNKNOWN_KID, retryAfterSeconds: null },
    });
    assert.match(error.userMessage, /key ID or HMAC key is wrong \(copy both again from the CA's dashboard or its administrator\)/);
  });

  it("explains a missing binding without blaming the key", () => {
    const error = describeRegistrationFailure(new Error(EAB_REQUIRED.detail), {
      directoryUrl: zerossl,
      hasSentEab: false,
      lastProblem: { problem: EAB_REQUIRED, retryAfterSeconds: null },
    });
    assert.equal(error.userMessage, missingEabError(zerossl).userMessage);
    assert.match(error.userMessage, /^ZeroSSL requires External Account Binding, and this account has no EAB key ID and HMAC key/);
  });

  it("leaves other problems to the general mapping", () => {
    const problem = { type: "urn:ietf:params:acme:error:serverInternal", detail: "database down", status: 500 };
    const error = describeRegistrationFailure(new Error("database down"), {
      directoryUrl: zerossl,
      hasSentEab: true,
      lastProblem: { problem, retryAfterSeconds: null },
    });
    assert.match(error.userMessage, /internal error/);
    assert.equal(error.isRetryable, true);
  });
});
