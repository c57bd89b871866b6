import { EXPIRY_THRESHOLDS } from "@/lib/domain/notifications/events";

/** A settings sub-page: where it is, what it is called, and what it is for. */
export type SettingsSection = {
  href: string;
  /** The page's heading, its browser tab and its card on the Settings index. */
  title: string;
  /** One line under the title on the Settings index's card. */
  summary: string;
  /** The page's own description, under its heading: longer than the summary. */
  description: string;
};

/**
 * Every settings sub-page, in the order the Settings index lists them. The index's cards, each
 * page's header and tab title, and the links to a section elsewhere all read from here, so a
 * section is renamed or moved in one place.
 */
export const SETTINGS_SECTIONS = {
  renewals: {
    href: "/settings/renewals",
    title: "Renewals and hooks",
    summary: "Maintenance window, and the pre-, post- and deploy hooks that reload nginx or restart services",
    description: "When deploy hooks may reload or restart services, and the commands that run around every renewal, like certbot's hooks.",
  },
  deployTargets: {
    href: "/settings/deploy-targets",
    title: "Deploy targets",
    summary: "nginx on this server, remote hosts over SSH, or commands: where new versions go, verified by what is served",
    description: "Where new certificate versions go after they are issued, and where CertDeck checks that they are served.",
  },
  dns: {
    href: "/settings/dns",
    title: "DNS providers",
    summary: "RFC 2136 (BIND …), Cloudflare or manual: where DNS-01 publishes its TXT records, for wildcards",
    description: "Where DNS-01 publishes the _acme-challenge TXT records: needed for wildcards, and for hosts the CA cannot reach.",
  },
  notifications: {
    href: "/settings/notifications",
    title: "Notifications",
    summary: "E-mail and webhook warnings before a certificate expires and when a renewal fails",
    description: `Warnings ${EXPIRY_THRESHOLDS.join(", ").replace(/, (\d+)$/, " and $1")} days before a certificate expires, when a renewal or a deploy fails, and when a watched endpoint expires soon, serves another certificate than the current version, or stops answering.`,
  },
  apiTokens: {
    href: "/settings/api-tokens",
    title: "API tokens and metrics",
    summary: "Tokens for scripts (REST API under /api/v1) and Prometheus (/metrics), and who may scrape without one",
    description:
      "Bearer tokens for scripts (the REST API under /api/v1) and for Prometheus (/metrics). Each is shown once, when created; CertDeck keeps only its SHA-256.",
  },
  account: {
    href: "/settings/account",
    title: "Account",
    summary: "Change your password, or sign out of every browser at once",
    description: "A session ends after 12 hours without use, and 30 days after sign-in in any case.",
  },
} as const satisfies Record<string, SettingsSection>;

export type SettingsSectionId = keyof typeof SETTINGS_SECTIONS;
