import type { FailureReasonCode } from "@/lib/acme/problems";

/**
 * The one error type whose message may be shown to people. Anything else that reaches a page or
 * an action is a bug: it is logged and the user sees a generic message.
 */
export type AppErrorCode =
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "acme_unreachable"
  | "acme_problem"
  | "challenge_failed"
  | "preflight_failed"
  | "rate_limit_guard"
  | "filesystem"
  | "deploy_failed";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** A sentence meant for the operator: what happened and what to do. */
  readonly userMessage: string;
  /** Whether trying again later can help (network trouble, CA errors, rate limits). */
  readonly isRetryable: boolean;
  /** For failures involving the CA: the reason code shown on lists (lib/acme/problems.ts). */
  readonly reason?: FailureReasonCode | "preflight" | "port-in-use";
  /** When to try again, if the CA (Retry-After) or the rate-limit guard said so. */
  readonly retryAfterSeconds?: number;

  constructor(
    code: AppErrorCode,
    userMessage: string,
    options: {
      cause?: unknown;
      isRetryable?: boolean;
      logMessage?: string;
      reason?: AppError["reason"];
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(options.logMessage ?? userMessage, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
    this.isRetryable = options.isRetryable ?? false;
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function userMessageOf(error: unknown): string {
  return error instanceof AppError ? error.userMessage : "Something went wrong. The server log has the details.";
}
