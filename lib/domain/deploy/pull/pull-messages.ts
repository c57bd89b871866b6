/**
 * What a pull request without a usable token is told: by the route handlers
 * (authenticate-puller.ts) and by proxy.ts, before any route runs. No imports, so the proxy's
 * bundle stays small.
 */
export const PULL_MISSING_TOKEN_MESSAGE =
  "Send the puller's token as \"Authorization: Bearer cdp_…\". It is shown once when the puller is added on the certificate's page; the dashboard's sign-in cookie does not work here.";
