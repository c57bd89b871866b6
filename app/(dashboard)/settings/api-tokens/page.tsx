import type { Metadata } from "next";
import { headers } from "next/headers";
import { SettingsPageHeader } from "@/components/settings-page-header";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { RelativeTime } from "@/components/relative-time";
import { RevokeAccessDialog } from "@/components/revoke-access-dialog";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Cell, Table } from "@/components/ui/table";
import { API_TOKEN_SCOPES, type ApiTokenScope } from "@/lib/domain/api-tokens/api-token";
import { listApiTokens } from "@/lib/domain/api-tokens/api-tokens";
import { requireUser } from "@/lib/web/session";
import { readSettings } from "@/lib/domain/settings/queries";
import { displayTimeZone } from "@/lib/core/env";
import { formatDate, formatDateTime } from "@/lib/core/dates";
import type { ScopeOption } from "@/components/scope-fieldset";
import { CreateTokenForm } from "./create-token-form";
import { revokeApiTokenAction, saveMetricsAccessAction } from "./actions";
import { SettingsForm } from "../settings-form";
import { SETTINGS_FORMS } from "../setting-fields";
import { keysOf } from "@/lib/core/keys-of";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.apiTokens.title };

const SCOPE_DESCRIPTIONS: Record<ApiTokenScope, string> = {
  read: "Read certificates, endpoints and deploy targets, download fullchain.pem, follow jobs, scrape /metrics.",
  write: "Also add, renew, test, revoke and delete certificates, and change endpoints and deploy targets.",
};

/** This dashboard's address as the browser reached it (through the reverse proxy, if any), for the examples. */
async function dashboardOrigin(): Promise<string> {
  const headerList = await headers();
  const host = headerList.get("x-forwarded-host") ?? headerList.get("host") ?? "localhost";
  const protocol = headerList.get("x-forwarded-proto") ?? "http";
  return `${protocol.split(",")[0].trim()}://${host.split(",")[0].trim()}`;
}

function CodeBlock({ children }: { children: string }) {
  return <pre className="overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">{children}</pre>;
}

export default async function ApiTokensPage() {
  await requireUser();
  const [tokens, settings, origin] = await Promise.all([listApiTokens(), readSettings(...SETTINGS_FORMS.metricsAccess.names), dashboardOrigin()]);
  const scopes: ScopeOption[] = keysOf(API_TOKEN_SCOPES).map((id) => ({
    id,
    label: API_TOKEN_SCOPES[id],
    description: SCOPE_DESCRIPTIONS[id],
  }));
  const host = new URL(origin).host;
  const now = new Date();
  return (
    <>
      <SettingsPageHeader section="apiTokens" />
      <div className="grid gap-5 lg:grid-cols-5">
        <Card className="self-start lg:col-span-3">
          <CardHeader title="Tokens" description="Revoked tokens stay listed for the record." />
          {tokens.length === 0 ? (
            <EmptyState>No token yet: create one with the form.</EmptyState>
          ) : (
            <Table columns={[{ label: "Token" }, { label: "Scope" }, { label: "Created" }, { label: "Last used" }]} hasActions>
              {tokens.map((token) => (
                <tr key={token.id} className={`align-top ${token.revokedAt ? "text-zinc-400 dark:text-zinc-500" : ""}`}>
                  <Cell>
                    <span className="font-medium">{token.name}</span>
                    <span className="block whitespace-nowrap font-mono text-xs text-zinc-500 dark:text-zinc-400">{token.prefix}…</span>
                  </Cell>
                  <Cell>
                    {token.revokedAt ? (
                      <>
                        <Badge tone="gray">Revoked</Badge>
                        <span className="mt-0.5 block whitespace-nowrap text-xs">{formatDate(token.revokedAt, displayTimeZone())}</span>
                      </>
                    ) : (
                      <Badge tone={token.scope === "write" ? "amber" : "blue"}>{API_TOKEN_SCOPES[token.scope as ApiTokenScope] ?? token.scope}</Badge>
                    )}
                  </Cell>
                  <Cell className="text-xs">
                    <time dateTime={token.createdAt.toISOString()} title={formatDateTime(token.createdAt, displayTimeZone())} className="whitespace-nowrap">
                      {formatDate(token.createdAt, displayTimeZone())}
                    </time>
                    <span className="block text-zinc-500 dark:text-zinc-400">by {token.createdBy}</span>
                  </Cell>
                  <Cell className="whitespace-nowrap text-xs">
                    {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} now={now} timeZone={displayTimeZone()} /> : "Never"}
                  </Cell>
                  <Cell className="text-right">
                    {!token.revokedAt && (
                      <RevokeAccessDialog
                        kind="token"
                        name={token.name}
                        triggerLabel={`Revoke ${token.name}`}
                        action={revokeApiTokenAction}
                        fields={{ tokenId: token.id }}
                      >
                        Scripts and scrapers using it get 401 from their next request on. This cannot be undone: create a new token to give access again.
                      </RevokeAccessDialog>
                    )}
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card className="self-start lg:col-span-2">
          <CardHeader title="Create a token" />
          <div className="p-4">
            <CreateTokenForm scopes={scopes} />
          </div>
        </Card>
      </div>

      <div className="mt-5 grid gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Using the REST API"
            description='Every request sends the token; the sign-in cookie does not work there. Errors come as {"error": {"code", "message", "fields"}}.'
          />
          <div className="space-y-3 p-4 text-xs text-zinc-600 dark:text-zinc-400">
            <p>
              The OpenAPI 3.1 description of every operation is at <code>{origin}/api/v1/openapi.json</code> (with a token, like the rest).
            </p>
            <CodeBlock>{`export CERTDECK_TOKEN=cdk_…
curl -H "Authorization: Bearer $CERTDECK_TOKEN" "${origin}/api/v1/certificates?expiringWithinDays=14"`}</CodeBlock>
            <CodeBlock>{`curl -H "Authorization: Bearer $CERTDECK_TOKEN" -H "Content-Type: application/json" \\
  -d '{"names": ["shop.example.com"], "challengeMethod": "http-01-app", "keyType": "ec-p256", "accountId": "<id from /api/v1/accounts>"}' \\
  ${origin}/api/v1/certificates`}</CodeBlock>
          </div>
        </Card>
        <Card>
          <CardHeader title="Metrics access" description="Prometheus reads /metrics with any token, or without one from these addresses." />
          <div className="space-y-4 p-4">
            <SettingsForm group="metricsAccess" action={saveMetricsAccessAction} saved={settings} />
            <div className="space-y-1.5 border-t border-zinc-200 pt-4 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <p>A scrape job for prometheus.yml, with a read-only token in a file:</p>
              <CodeBlock>{`- job_name: certdeck
  scheme: ${new URL(origin).protocol.replace(":", "")}
  metrics_path: /metrics
  authorization:
    credentials_file: /etc/prometheus/certdeck.token
  static_configs:
    - targets: ["${host}"]`}</CodeBlock>
            </div>
          </div>
        </Card>
      </div>
    </>
  );
}
