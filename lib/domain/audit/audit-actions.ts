/**
 * Every action the audit log records, with the words the audit page shows for it. A command's
 * name is its action and defineCommand takes only these names, so no action reaches the log
 * without its label.
 */
export const AUDIT_ACTIONS = {
  "sign-in": "Signed in",
  "sign-in-failed": "Sign-in failed",
  "sign-in-throttled": "Sign-in throttled",
  "sign-out": "Signed out",
  "sign-out-everywhere": "Signed out everywhere",
  "password.confirm-failed": "Password confirmation failed",
  "setup.admin-created": "Created administrator",
  "password.change": "Changed password",
  "certificate.add": "Added certificate",
  "certificate.renew": "Queued renewal",
  "certificate.test-renewal": "Queued test renewal",
  "certificate.deploy": "Queued deploy",
  "certificate.delete": "Deleted certificate",
  "certificate.settings": "Changed renewal settings",
  "certificate.challenge-settings": "Changed challenge settings",
  "certificate.dns-records-confirmed": "Confirmed DNS records",
  "certificate.dns-wait-stopped": "Stopped waiting for DNS records",
  "dns-provider.add": "Added DNS provider",
  "dns-provider.change": "Changed DNS provider",
  "dns-provider.delete": "Deleted DNS provider",
  "certificate.import": "Imported from certbot",
  "certificate.upload": "Uploaded certificate",
  "certificate.revoke": "Revoked certificate",
  "key.download": "Downloaded key",
  "account.add": "Added ACME account",
  "account.rate-limits": "Changed rate limits",
  "account.register-again": "Registered account again",
  "settings.change": "Changed settings",
  "channel.add": "Added notification channel",
  "channel.delete": "Deleted notification channel",
  "channel.enable": "Enabled notification channel",
  "channel.disable": "Disabled notification channel",
  "api-token.create": "Created API token",
  "api-token.revoke": "Revoked API token",
  "account.look-up-directory": "Looked up a CA directory",
  "account.network": "Changed an account's network",
  "certificate.deploy-target": "Queued deploy to one target",
  "certificate.deploy-targets": "Chose deploy targets",
  "certificate.dns-check": "Checked DNS records",
  "certificate.preflight": "Ran preflight checks",
  "certificate.preflight-new": "Ran preflight checks",
  "channel.network": "Changed a notification channel's network",
  "channel.test": "Tested notification channel",
  "deploy-target.add": "Added deploy target",
  "deploy-target.change": "Changed deploy target",
  "deploy-target.delete": "Deleted deploy target",
  "deploy-target.remove": "Revoked puller",
  "deploy-target.test": "Tested deploy target",
  "deploy-target.accept-host-key": "Accepted SSH host key",
  "deploy-target.pin-host-key": "Pinned SSH host key",
  "dns-provider.test": "Tested DNS provider",
  "endpoint.add": "Watched endpoint",
  "endpoint.edit": "Changed watched endpoint",
  "endpoint.remove": "Stopped watching endpoint",
  "endpoint.check": "Checked endpoint",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** An action's label; one no longer known (written by an older version) is shown as it is stored. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
