"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { CircleAlert, CircleCheck, CircleMinus } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";
import { Badge } from "@/components/ui/badge";
import { Field, Input, Textarea } from "@/components/ui/form-field";
import { Cell, Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/core/dates";
import type { CertbotImportResult, ImportedCertbotLineage } from "@/lib/domain/import/certbot/import-certbot-directory";
import { importCertbotDirectoryAction, type ImportCertbotState } from "./actions";
import { FormError } from "@/components/form-error";
import { ACCOUNT_PRIVATE_NETWORK_LABEL } from "@/lib/domain/network/private-network-words";

const METHOD_LABELS: Record<ImportedCertbotLineage["challengeMethod"], string> = {
  "http-01-standalone": "HTTP-01, standalone listener",
  "http-01-webroot": "HTTP-01, webroot",
};

export function ImportForm({ defaultDirectory, timeZone }: { defaultDirectory: string; timeZone: string }) {
  const [state, formAction] = useActionState<ImportCertbotState, FormData>(importCertbotDirectoryAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};

  return (
    <div className="space-y-6">
      <form action={formAction} className="space-y-4" noValidate>
        <Field
          id="directory"
          label="certbot directory"
          hint="certbot's --config-dir: the directory that holds renewal/, live/, archive/ and accounts/."
          errors={errors.directory}
        >
          <Input
            id="directory"
            required
            hasHint
            spellCheck={false}
            autoCapitalize="off"
            className="max-w-md font-mono"
            defaultValue={values.directory ?? defaultDirectory}
            errors={errors.directory}
          />
        </Field>
        <details className="text-sm" open={Boolean(values.caBundlePem || errors.caBundlePem || values.privateNetwork)}>
          <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">certbot used a private ACME CA</summary>
          <div className="mt-3 space-y-3">
            <label className="flex items-start gap-2">
              <input type="checkbox" name="privateNetwork" defaultChecked={values.privateNetwork === "on"} className="mt-0.5" />
              <span>
                {ACCOUNT_PRIVATE_NETWORK_LABEL}
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                  For the ACME accounts this import creates: CertDeck may then reach their CA on this machine or a private address, and renew certificates for
                  such addresses.
                </span>
              </span>
            </label>
            <Field
              id="caBundlePem"
              label="Trusted CA bundle (PEM)"
              hint="The CA certificate certbot trusted for the ACME server's HTTPS (its REQUESTS_CA_BUNDLE). Given to the ACME accounts this import creates. Leave empty for Let's Encrypt and other public CAs."
              errors={errors.caBundlePem}
            >
              <Textarea
                id="caBundlePem"
                rows={4}
                hasHint
                placeholder="-----BEGIN CERTIFICATE-----"
                defaultValue={values.caBundlePem}
                errors={errors.caBundlePem}
              />
            </Field>
          </div>
        </details>
        <FormError message={state.formError} />
        <SubmitButton pendingLabel="Importing…">Import</SubmitButton>
      </form>

      {state.result && <ImportResult result={state.result} timeZone={timeZone} />}
    </div>
  );
}

function ImportResult({ result, timeZone }: { result: CertbotImportResult; timeZone: string }) {
  const total = result.imported.length + result.skipped.length;
  return (
    <section aria-labelledby="import-result" className="space-y-5 border-t border-zinc-200 pt-5 dark:border-zinc-800">
      <h2 id="import-result" role="status" className="text-base font-semibold">
        {total === 0
          ? `No renewal configuration found in ${result.directory}/renewal/`
          : `Imported ${result.imported.length} of ${total} ${total === 1 ? "lineage" : "lineages"} from ${result.directory}`}
      </h2>

      <div
        role="note"
        className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100"
      >
        <p className="font-medium">certbot still has its own renewal timer: disable it so two renewers do not race.</p>
        <p className="mt-1">
          Run <code className="rounded bg-amber-100 px-1 font-mono dark:bg-amber-500/20">systemctl disable --now certbot.timer</code> and remove any{" "}
          <code className="font-mono">certbot renew</code> cron line (for example in <code className="font-mono">/etc/cron.d/certbot</code>).
        </p>
      </div>

      {result.imported.length > 0 && (
        <ResultSection icon={<CircleCheck aria-hidden className="h-4 w-4 text-emerald-600 dark:text-emerald-400" />} title="Imported">
          <div className="rounded-lg border border-zinc-200 dark:border-zinc-800">
            <Table columns={[{ label: "Names" }, { label: "Expires" }, { label: "Challenge" }, { label: "Hooks" }]}>
              {result.imported.map((lineage) => (
                <tr key={lineage.certificateId} className="align-top">
                  <Cell className="max-w-xs">
                    <Link href={`/certificates/${lineage.certificateId}`} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                      {lineage.name}
                    </Link>
                    {lineage.names.filter((name) => name !== lineage.name).length > 0 && (
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">{lineage.names.filter((name) => name !== lineage.name).join(", ")}</p>
                    )}
                    <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{lineage.accountLabel}</p>
                    {lineage.notes.length > 0 && (
                      <ul className="mt-1 space-y-0.5 text-xs text-amber-800 dark:text-amber-300">
                        {lineage.notes.map((note) => (
                          <li key={note}>{note}</li>
                        ))}
                      </ul>
                    )}
                  </Cell>
                  <Cell className="whitespace-nowrap">{formatDateTime(new Date(lineage.notAfter), timeZone)}</Cell>
                  <Cell>
                    <p>{METHOD_LABELS[lineage.challengeMethod]}</p>
                    {lineage.webrootPath && <p className="break-all font-mono text-xs text-zinc-600 dark:text-zinc-400">{lineage.webrootPath}</p>}
                  </Cell>
                  <Cell>
                    <Hooks lineage={lineage} />
                  </Cell>
                </tr>
              ))}
            </Table>
          </div>
        </ResultSection>
      )}

      {result.skipped.length > 0 && (
        <ResultSection icon={<CircleMinus aria-hidden className="h-4 w-4 text-zinc-500" />} title="Not imported">
          <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
            {result.skipped.map((lineage) => (
              <li key={lineage.name} className="px-4 py-2.5">
                <span className="font-medium">{lineage.name}</span>
                <span className="text-zinc-600 dark:text-zinc-400">: {lineage.reason}</span>
              </li>
            ))}
          </ul>
        </ResultSection>
      )}

      {result.notices.length > 0 && (
        <ul className="space-y-1 text-sm">
          {result.notices.map((notice) => (
            <li key={notice} className="flex gap-1.5 text-amber-900 dark:text-amber-200">
              <CircleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
              {notice}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Hooks({ lineage }: { lineage: ImportedCertbotLineage }) {
  const hooks = [
    { label: "pre", command: lineage.preHook },
    { label: "post", command: lineage.postHook },
    { label: "deploy", command: lineage.deployHook },
  ].filter((hook): hook is { label: string; command: string } => Boolean(hook.command));
  if (hooks.length === 0) return <span className="text-zinc-500 dark:text-zinc-400">none</span>;
  return (
    <dl className="space-y-1">
      {hooks.map((hook) => (
        <div key={hook.label} className="flex items-start gap-1.5">
          <dt>
            <Badge tone="gray">{hook.label}</Badge>
          </dt>
          <dd className="min-w-0 font-mono text-xs wrap-break-word">{hook.command}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One part of the import's result: a heading with its icon, then what it lists. */
function ResultSection({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div>
      <h3 className="mb-2 flex items-center gap-1.5 text-sm font-semibold">
        {icon}
        {title}
      </h3>
      {children}
    </div>
  );
}
