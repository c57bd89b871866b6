/**
 * The CAs offered on the accounts page (directory URLs as published by the CAs, and as listed in
 * acme-client's own `acme.directory`). Anything else is a custom directory URL.
 */
export interface DirectoryPreset {
  id: string;
  label: string;
  /** One line under the label: what this CA is for. */
  note: string;
  directoryUrl: string;
  /** The CA accepts new accounts only with External Account Binding (a key ID and HMAC key). */
  requiresEab: boolean;
  /** Where the EAB key ID and HMAC key come from, in one line. */
  eabSource?: string;
  /**
   * The CA's staging directory, where a "Test renewal" orders. Only set when the same account
   * credentials work there; a staging that needs its own EAB credentials is a preset of its own.
   */
  stagingDirectoryUrl?: string;
}

export const DIRECTORY_PRESETS = [
  {
    id: "letsencrypt",
    label: "Let's Encrypt",
    note: "Free, no sign-up. Profiles classic, tlsserver and shortlived (IP addresses).",
    directoryUrl: "https://acme-v02.api.letsencrypt.org/directory",
    requiresEab: false,
    stagingDirectoryUrl: "https://acme-staging-v02.api.letsencrypt.org/directory",
  },
  {
    id: "letsencrypt-staging",
    label: "Let's Encrypt staging",
    note: "Untrusted test certificates with high rate limits: for trying a configuration.",
    directoryUrl: "https://acme-staging-v02.api.letsencrypt.org/directory",
    requiresEab: false,
  },
  {
    id: "zerossl",
    label: "ZeroSSL",
    note: "Free 90-day certificates (Sectigo roots). Needs a ZeroSSL account.",
    directoryUrl: "https://acme.zerossl.com/v2/DV90",
    requiresEab: true,
    eabSource: "ZeroSSL dashboard → Developer → EAB Credentials → Generate",
  },
  {
    id: "google",
    label: "Google Trust Services",
    note: "Free certificates from Google's public CA. Needs a Google Cloud project.",
    directoryUrl: "https://dv.acme-v02.api.pki.goog/directory",
    requiresEab: true,
    eabSource: "Google Cloud: gcloud publicca external-account-keys create (keyId and b64MacKey; use within 7 days)",
  },
  {
    id: "google-staging",
    label: "Google Trust Services staging",
    note: "Untrusted test certificates. Its EAB credentials are separate from production's.",
    directoryUrl: "https://dv.acme-v02.test-api.pki.goog/directory",
    requiresEab: true,
    eabSource: "gcloud config set api_endpoint_overrides/publicca https://preprod-publicca.googleapis.com/, then gcloud publicca external-account-keys create",
  },
  {
    id: "sslcom-rsa",
    label: "SSL.com (RSA)",
    note: "Certificates chained to SSL.com's RSA roots. Needs an SSL.com account.",
    directoryUrl: "https://acme.ssl.com/sslcom-dv-rsa",
    requiresEab: true,
    eabSource: "SSL.com account → Dashboard → API Credentials (ACME key ID and HMAC key)",
  },
  {
    id: "sslcom-ecc",
    label: "SSL.com (ECC)",
    note: "Certificates chained to SSL.com's ECC roots. Needs an SSL.com account.",
    directoryUrl: "https://acme.ssl.com/sslcom-dv-ecc",
    requiresEab: true,
    eabSource: "SSL.com account → Dashboard → API Credentials (ACME key ID and HMAC key)",
  },
] as const satisfies readonly DirectoryPreset[];

export type DirectoryPresetId = (typeof DIRECTORY_PRESETS)[number]["id"];

/** The preset whose directory this is (trailing slashes ignored), if any. */
export function presetFor(directoryUrl: string): DirectoryPreset | undefined {
  const normalized = directoryUrl.trim().replace(/\/+$/, "");
  return (DIRECTORY_PRESETS as readonly DirectoryPreset[]).find((preset) => preset.directoryUrl === normalized);
}

export function presetLabelFor(directoryUrl: string): string | undefined {
  return presetFor(directoryUrl)?.label;
}

/**
 * Where a dry run ("Test renewal") orders: the CA's staging twin when the account's credentials
 * work there (Let's Encrypt), else the account's own directory (a staging directory itself, a CA
 * without one, or one whose staging needs separate EAB credentials, like Google's).
 */
export function dryRunDirectoryFor(directoryUrl: string): string {
  return presetFor(directoryUrl)?.stagingDirectoryUrl ?? directoryUrl;
}
