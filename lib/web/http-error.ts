/**
 * AppError → HTTP: the status and the REST API's one error shape,
 * { "error": { "code", "message", "fields"? } }. The message is meant for the person running
 * the script (what happened, what to do); `fields` maps a request field to its problems, with the
 * dashboard's wording. Anything that is not an AppError is a bug: logged, answered with a
 * generic 500 and no detail.
 */
import { AppError, GENERIC_ERROR_MESSAGE, type AppErrorCode, type FieldErrors } from "@/lib/core/app-error";

/** The codes a client of the REST API sees, with their HTTP status. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  too_many_requests: 429,
  internal_error: 500,
  upstream_failed: 502,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

const API_CODE_OF: Record<AppErrorCode, ApiErrorCode> = {
  bad_request: "invalid_request",
  invalid_input: "validation_failed",
  unsupported_media_type: "unsupported_media_type",
  payload_too_large: "payload_too_large",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  too_many_requests: "too_many_requests",
  rate_limit_guard: "too_many_requests",
  preflight_failed: "validation_failed",
  challenge_failed: "validation_failed",
  acme_unreachable: "upstream_failed",
  acme_problem: "upstream_failed",
  deploy_failed: "upstream_failed",
  upstream_failed: "upstream_failed",
  // The operator can act on the message (a directory's permissions), so it is shown, as a 500.
  filesystem: "internal_error",
};

/** API responses are per caller and change all the time: never cached. */
export const API_RESPONSE_HEADERS = { "cache-control": "no-store" } as const;

export interface HttpErrorParts {
  status: number;
  body: { error: { code: ApiErrorCode; message: string; fields?: FieldErrors } };
  headers: Record<string, string>;
}

/** The status, body and headers for any thrown value (proxy.ts builds a NextResponse from them). */
export function toHttpError(error: unknown): HttpErrorParts {
  const appError = error instanceof AppError ? error : null;
  const code = appError ? API_CODE_OF[appError.code] : "internal_error";
  const headers: Record<string, string> = { ...API_RESPONSE_HEADERS };
  // RFC 6750 section 3: a 401 names the scheme the client should use.
  if (code === "unauthorized") headers["www-authenticate"] = 'Bearer realm="CertDeck"';
  if (appError?.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(appError.retryAfterSeconds));
  const fields = appError?.fieldErrors ? apiFieldsOf(appError.fieldErrors) : undefined;
  const message = appError?.userMessage ?? GENERIC_ERROR_MESSAGE;
  return { status: API_ERROR_STATUS[code], body: { error: { code, message, ...(fields ? { fields } : {}) } }, headers };
}

/** Problems with the whole body are keyed "" by commands and "body" in the API. */
function apiFieldsOf(fieldErrors: FieldErrors): FieldErrors {
  const fields = Object.create(null) as FieldErrors;
  for (const [field, messages] of Object.entries(fieldErrors)) fields[field === "" ? "body" : field] = messages;
  return fields;
}

/** The error as a Response; bugs are logged here with `where` (e.g. "POST /api/v1/certificates"). */
export function httpErrorResponse(error: unknown, where: string): Response {
  if (!(error instanceof AppError)) console.error(`[certdeck] ${where} failed`, error);
  const { body, status, headers } = toHttpError(error);
  return Response.json(body, { status, headers });
}
