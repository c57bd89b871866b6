/**
 * What the dashboard shows after a puller is added: the one-line install and the env file for a
 * manual setup. Pure and import-free, so the browser can fill in the dashboard's own address.
 */

/** A shell word that stays exactly `value`: single quotes, with ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Words that need no quotes stay bare, so the snippet reads like one a person would type. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : shellQuote(value);
}

export interface InstallSnippetInput {
  /** The dashboard's address as the browser reaches it ("https://certdeck.example.com"). */
  origin: string;
  token: string;
  destDir: string;
  reloadCommand: string;
}

/** `curl … /api/pull/v1/install | sudo CERTDECK_URL=… DEST_DIR=… sh`, on one line. */
export function installCommand({ origin, token, destDir, reloadCommand }: InstallSnippetInput): string {
  const url = origin.replace(/\/+$/, "");
  const settings = [`CERTDECK_URL=${shellWord(url)}`, `DEST_DIR=${shellWord(destDir)}`, `RELOAD_COMMAND=${shellQuote(reloadCommand)}`];
  return `curl -fsS -H ${shellQuote(`Authorization: Bearer ${token}`)} ${shellWord(`${url}/api/pull/v1/install`)} | sudo ${settings.join(" ")} sh`;
}

/** /etc/certdeck-pull/<name>.env for installing the agent by hand (agent/README.md). */
export function envFileContent({ origin, token, destDir, reloadCommand, certificateName }: InstallSnippetInput & { certificateName: string }): string {
  return [
    `CERTDECK_URL=${shellQuote(origin.replace(/\/+$/, ""))}`,
    `CERTDECK_TOKEN=${token}`,
    `CERTDECK_CERTIFICATE=${shellQuote(certificateName)}`,
    `DEST_DIR=${shellQuote(destDir)}`,
    `RELOAD_COMMAND=${shellQuote(reloadCommand)}`,
    "",
  ].join("\n");
}
