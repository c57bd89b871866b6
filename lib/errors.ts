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
  | "filesystem"
  | "deploy_failed";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** A sentence meant for the operator: what happened and what to do. */
  readonly userMessage: string;
  readonly isRetryable: boolean;

  constructor(
    code: AppErrorCode,
    userMessage: string,
    options: { cause?: unknown; isRetryable?: boolean; logMessage?: string } = {},
  ) {
    super(options.logMessage ?? userMessage, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
    this.isRetryable = options.isRetryable ?? false;
  }
}

export function userMessageOf(error: unknown): string {
  return error instanceof AppError ? error.userMessage : "Something went wrong. The server log has the details.";
}
