/** Directory presets offered on the accounts page. Anything else is a custom directory URL. */
export const DIRECTORY_PRESETS = [
  {
    id: "letsencrypt",
    label: "Let's Encrypt",
    directoryUrl: "https://acme-v02.api.letsencrypt.org/directory",
  },
  {
    id: "letsencrypt-staging",
    label: "Let's Encrypt staging (untrusted test certificates, high rate limits)",
    directoryUrl: "https://acme-staging-v02.api.letsencrypt.org/directory",
  },
] as const;

export type DirectoryPresetId = (typeof DIRECTORY_PRESETS)[number]["id"];

export function presetLabelFor(directoryUrl: string): string | undefined {
  return DIRECTORY_PRESETS.find((preset) => preset.directoryUrl === directoryUrl)?.label;
}

/**
 * Where a dry run ("Test renewal") orders: Let's Encrypt staging for Let's Encrypt accounts, the
 * account's own directory for any other CA (which has no known staging twin).
 */
export function dryRunDirectoryFor(directoryUrl: string): string {
  const production = DIRECTORY_PRESETS.find((preset) => preset.id === "letsencrypt")!.directoryUrl;
  const staging = DIRECTORY_PRESETS.find((preset) => preset.id === "letsencrypt-staging")!.directoryUrl;
  return directoryUrl === production ? staging : directoryUrl;
}
