/**
 * The REST API's one error shape: { "error": { "code", "message", "fields"? } }. The message is
 * meant for the person running the script (what happened, what to do); `fields` maps a request
 * field to its problems, as the dashboard's forms show them. No imports beyond the platform, so
 * proxy.ts can answer with it too.
 */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported_media_type: 415,
  validation_failed: 422,
  internal_error: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export type ApiFieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly fields?: ApiFieldErrors;

  constructor(code: ApiErrorCode, message: string, fields?: ApiFieldErrors) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = fields && Object.keys(fields).length > 0 ? fields : undefined;
  }

  get status(): number {
    return API_ERROR_STATUS[this.code];
  }
}

/** API responses are per caller and change all the time: never cached. */
export const API_RESPONSE_HEADERS = { "cache-control": "no-store" } as const;

/** Body, status and headers of an error answer (proxy.ts builds a NextResponse from them). */
export function apiErrorParts(error: ApiError): { body: unknown; status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...API_RESPONSE_HEADERS };
  // RFC 6750 section 3: a 401 names the scheme the client should use.
  if (error.code === "unauthorized") headers["www-authenticate"] = 'Bearer realm="CertDeck"';
  const body = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  return { body, status: error.status, headers };
}

export function apiErrorResponse(error: ApiError): Response {
  const { body, status, headers } = apiErrorParts(error);
  return Response.json(body, { status, headers });
}

export const MISSING_TOKEN_MESSAGE =
  "Send an API token as \"Authorization: Bearer <token>\". Create one under Settings → API tokens; the dashboard's sign-in cookie does not work here.";
