/** What a request without a usable API token is told (also by proxy.ts, before any route runs). */
export const MISSING_TOKEN_MESSAGE =
  'Send an API token as "Authorization: Bearer <token>". Create one under Settings → API tokens; the dashboard\'s sign-in cookie does not work here.';
export const INVALID_TOKEN_MESSAGE = "This API token is not valid: it was revoked or mistyped. Create a new one under Settings → API tokens.";
