import { z } from "zod";

/**
 * Hook commands: the ready-made ones the forms offer, and how a typed one is checked. Pure, safe
 * to import from client components.
 */

/** Checks the configuration first, so a broken nginx.conf never takes the running nginx down. */
export const RELOAD_NGINX_COMMAND = "nginx -t && (systemctl reload nginx || nginx -s reload)";

/** systemd unit names: letters, digits and @ . _ - (instances such as "php8.2-fpm@pool.service"). */
export const SYSTEMD_UNIT_PATTERN = /^[A-Za-z0-9@._-]+$/;

export type UnitNameResult = { ok: true; unit: string } | { ok: false; error: string };

export function validateUnitName(unit: string): UnitNameResult {
  const trimmed = unit.trim();
  if (trimmed === "") return { ok: false, error: "Enter the unit's name, such as haproxy or postfix.service" };
  if (trimmed.length > 256) return { ok: false, error: "A unit name has at most 256 characters" };
  if (!SYSTEMD_UNIT_PATTERN.test(trimmed)) {
    return { ok: false, error: `${JSON.stringify(trimmed)} is not a unit name: use letters, digits and @ . _ - only` };
  }
  return { ok: true, unit: trimmed };
}

/** `systemctl restart <unit>`; throws for a name that is not a unit name (it would reach a shell). */
export function restartSystemdUnitCommand(unit: string): string {
  const result = validateUnitName(unit);
  if (!result.ok) throw new Error(result.error);
  return `systemctl restart ${result.unit}`;
}

export const HOOK_PRESETS = {
  "reload-nginx": { label: "Reload nginx", description: "Tests the configuration, then reloads nginx without dropping connections" },
  "restart-systemd-unit": { label: "Restart a systemd unit…", description: "systemctl restart <unit>, for services that read certificates only at start" },
} as const;
export type HookPresetId = keyof typeof HOOK_PRESETS;

export const HOOK_KINDS = {
  preHook: { label: "Pre-hook", description: "Runs before a renewal contacts the CA (certbot --pre-hook)" },
  postHook: { label: "Post-hook", description: "Runs after a renewal attempt, whether it succeeded or not (certbot --post-hook)" },
  deployHook: {
    label: "Deploy hook",
    description:
      "Runs after a new version's files are written, inside the maintenance window (certbot --deploy-hook). Gets RENEWED_LINEAGE and RENEWED_DOMAINS.",
  },
} as const;
export type HookKind = keyof typeof HOOK_KINDS;

/**
 * A hook command from a form: "" = none. Browsers send textarea lines with CRLF, and /bin/sh
 * would read each CR as part of a command ("nginx\r: not found"), so line ends are normalised.
 */
export const hookCommandSchema = z
  .string()
  .transform((command) => command.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .max(4000, "At most 4000 characters")
      .refine((command) => !command.includes("\0"), "The command contains a NUL character"),
  );
