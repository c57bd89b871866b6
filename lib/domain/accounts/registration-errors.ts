import { presetFor } from "@/lib/protocol/acme/presets";
import { problemShortType, toAcmeAppError, type AcmeProblem } from "@/lib/protocol/acme/problems";
import { AppError } from "@/lib/core/app-error";

/** Where the operator finds this CA's EAB credentials, for sentences like "copy both again from …". */
export function eabSourceFor(directoryUrl: string): string {
  return presetFor(directoryUrl)?.eabSource ?? "the CA's dashboard or its administrator";
}

/** Said before the CA is contacted when its directory demands EAB and the account has none. */
export function missingEabError(directoryUrl: string): AppError {
  const preset = presetFor(directoryUrl);
  return new AppError(
    "invalid_input",
    `${preset?.label ?? "This CA"} requires External Account Binding, and this account has no EAB key ID and HMAC key. Get them from ${eabSourceFor(directoryUrl)}, then register again with both.`,
    { reason: "unauthorized-account" },
  );
}

/** Problem details that name the binding itself (Pebble, Boulder, step-ca, ZeroSSL word it differently). */
const EAB_DETAIL = /external ?account|binding|\beab\b|\bkid\b|hmac|\bmac\b/i;

/**
 * Why newAccount failed, in plain words. With EAB sent, an `unauthorized` (or a `malformed` that
 * talks about the binding) means the key ID or HMAC key is wrong, used up or expired: that is
 * what the operator must fix, not a validation problem. Anything else is explained by
 * lib/protocol/acme/problems.ts.
 */
export function describeRegistrationFailure(
  error: unknown,
  context: { directoryUrl: string; hasSentEab: boolean; lastProblem: { problem: AcmeProblem; retryAfterSeconds: number | null } | null },
): AppError {
  const problem = context.lastProblem?.problem;
  const type = problemShortType(problem);
  const isAboutBinding = type === "unauthorized" || ((type === "malformed" || type === "unauthorizedAccount") && EAB_DETAIL.test(problem?.detail ?? ""));
  if (context.hasSentEab && problem && isAboutBinding) {
    const said = problem.detail ? ` The CA said: "${problem.detail}".` : "";
    return new AppError(
      "acme_problem",
      `The CA refused the External Account Binding: the key ID or HMAC key is wrong (copy both again from ${eabSourceFor(context.directoryUrl)}). If they were already used for another account or have expired, create a new pair.${said}`,
      { cause: error, reason: "unauthorized-account", isRetryable: false },
    );
  }
  if (!context.hasSentEab && type === "externalAccountRequired") return missingEabError(context.directoryUrl);
  return toAcmeAppError(error, new URL(context.directoryUrl).host, context.lastProblem);
}
