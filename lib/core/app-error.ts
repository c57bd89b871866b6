/**
 * The one error type whose message may be shown to people. Commands, queries, jobs and protocol
 * code throw it for every expected failure; anything else that reaches a page, an action or a
 * route handler is a bug: it is logged and the user sees a generic message.
 *
 * It crosses into the outside world through exactly two mappings, both in lib/web: to an HTTP
 * status with the REST API's error JSON (http-error.ts), and to a form's state (form-state.ts).
 */
export const APP_ERROR_CODES = [
  /** The request itself is malformed (not JSON, a query parameter given twice): HTTP 400. */
  "bad_request",
  /** The input was understood but is not acceptable; `fieldErrors` says where: HTTP 422. */
  "invalid_input",
  "unsupported_media_type",
  "payload_too_large",
  /** No valid session or token. */
  "unauthorized",
  /** Signed in, but this actor may not do this. */
  "forbidden",
  "not_found",
  /** The object is not in a state that allows this (a job already works on it, already revoked …). */
  "conflict",
  /** Too many attempts (sign-in throttling). */
  "too_many_requests",
  /** The CA could not be reached (DNS, refused, timeout, TLS). */
  "acme_unreachable",
  /** The CA answered with a problem document. */
  "acme_problem",
  "challenge_failed",
  "preflight_failed",
  /** CertDeck's own guard held an order back to stay inside the CA's rate limits. */
  "rate_limit_guard",
  "filesystem",
  "deploy_failed",
  /** Another server (DNS provider, SMTP, webhook, SSH host) refused or failed. */
  "upstream_failed",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** Problems per input field, keyed by the field's path ("names", "names.2", "webrootPaths.shop.example.com"). */
export type FieldErrors = Record<string, string[]>;

export interface AppErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
  /** A message for the server log when it should say more than the user message. */
  logMessage?: string;
  fieldErrors?: FieldErrors;
  /** A short reason code for lists and filters ("dns", "connection", "preflight" …). */
  reason?: string;
  /** When to try again, if the CA (Retry-After) or a guard said so. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** A sentence meant for the operator: what happened and what to do. */
  readonly userMessage: string;
  /** Whether trying again later can help (network trouble, CA errors, rate limits). */
  readonly isRetryable: boolean;
  readonly fieldErrors?: FieldErrors;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: AppErrorCode, userMessage: string, options: AppErrorOptions = {}) {
    super(options.logMessage ?? userMessage, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
    this.isRetryable = options.isRetryable ?? false;
    this.fieldErrors = options.fieldErrors && Object.keys(options.fieldErrors).length > 0 ? options.fieldErrors : undefined;
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const GENERIC_ERROR_MESSAGE = "Something went wrong. The server log has the details.";

export function userMessageOf(error: unknown): string {
  return error instanceof AppError ? error.userMessage : GENERIC_ERROR_MESSAGE;
}

/** An invalid_input error for one field, the most common kind. */
export function fieldError(field: string, message: string): AppError {
  return new AppError("invalid_input", message, { fieldErrors: { [field]: [message] } });
}
