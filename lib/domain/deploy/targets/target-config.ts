/**
 * Deploy targets' settings, one zod schema per type. The same schemas check a command's input
 * (the fields are flat, so each problem lands on its form field) and read the stored JSON back
 * (DeployTarget.config), so a target is never deployed with settings the form would refuse.
 *
 * Secrets are not in here: the SSH private key lives in DeployTarget.credentialsEnc.
 */
import { z } from "zod";
import { DEFAULT_NGINX_RELOAD_COMMAND, DEFAULT_NGINX_TEST_COMMAND, DEFAULT_VERIFY_ADDRESS } from "@/lib/protocol/nginx/guarded-reload";
import { parseEndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import { AppError } from "@/lib/core/app-error";

export const DEPLOY_TARGET_TYPES = ["nginx", "ssh", "command", "pull"] as const;
export type DeployTargetType = (typeof DEPLOY_TARGET_TYPES)[number];
export const deployTargetTypeSchema = z.enum(DEPLOY_TARGET_TYPES);

/** The types made and edited here; "pull" targets belong to lib/domain/deploy/pull. */
export const ACTIVE_TARGET_TYPES = ["nginx", "ssh", "command"] as const;
export type ActiveTargetType = (typeof ACTIVE_TARGET_TYPES)[number];

export const DEPLOY_TARGET_TYPE_LABELS: Record<DeployTargetType, string> = {
  nginx: "nginx on this server",
  ssh: "Remote host over SSH",
  command: "Command",
  pull: "Pull agent",
};

/** Passive targets have no deploy step: their agent fetches the version and reports back. */
export function isPassiveTargetType(type: string): boolean {
  return type === "pull";
}

export function isActiveTargetType(type: string): type is ActiveTargetType {
  return (ACTIVE_TARGET_TYPES as readonly string[]).includes(type);
}

/** The remote host's reload preset: test the configuration, then reload nginx. */
export const SSH_RELOAD_PRESET = "nginx -t && systemctl reload nginx";
export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 30;
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 60;
export const DEFAULT_CERTIFICATE_MODE = 0o644;
export const DEFAULT_KEY_MODE = 0o600;

const trimmed = z.string().transform((value) => value.replace(/\r\n?/g, "\n").trim());

/** A shell command line: one line, as typed. */
function commandLine(required: string | null) {
  return trimmed.pipe(
    z
      .string()
      .max(2000, "At most 2000 characters")
      .refine((command) => !command.includes("\0"), "The command contains a NUL character")
      .refine((command) => required === null || command !== "", required ?? ""),
  );
}

function seconds(label: string, max: number) {
  return z
    .number({ error: `Enter the ${label} in seconds` })
    .int(`Enter a whole number of seconds`)
    .min(1, "At least 1 second")
    .max(max, `At most ${max} seconds`);
}

/** "host:port" as the verification probes it; "" where the field may stay empty. */
function verifyAddress(options: { allowEmpty: boolean }) {
  return trimmed.pipe(
    z.string().superRefine((value, context) => {
      if (value === "") {
        if (!options.allowEmpty) context.addIssue({ code: "custom", message: "Enter where it serves HTTPS, such as 127.0.0.1:443" });
        return;
      }
      try {
        parseEndpointAddress(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  );
}

const FILE_PATH = trimmed.pipe(
  z
    .string()
    .max(1024, "At most 1024 characters")
    .refine((value) => !/[\0\n]/.test(value), "A path cannot contain a line break")
    .refine((value) => value === "" || !value.endsWith("/"), "Give a file's path, not a directory's"),
);

/** Permission bits, 0–0777. */
const MODE = z
  .number({ error: "Enter the mode in octal, such as 0644" })
  .int("Enter the mode in octal, such as 0644")
  .min(0)
  .max(0o777, "Enter the mode in octal, such as 0644");

const OWNER = trimmed.pipe(z.string().regex(/^$|^[0-9]{1,10}$|^[A-Za-z_][A-Za-z0-9._-]{0,31}\$?$/, "Enter a user or group name, or a numeric id"));

export const nginxTargetConfigSchema = z.strictObject({
  testCommand: commandLine("Enter the command that checks nginx's configuration, such as nginx -t").default(DEFAULT_NGINX_TEST_COMMAND),
  reloadCommand: commandLine("Enter the command that reloads nginx").default(DEFAULT_NGINX_RELOAD_COMMAND),
  verifyAddress: verifyAddress({ allowEmpty: false }).default(DEFAULT_VERIFY_ADDRESS),
  verifyTimeoutSeconds: seconds("verify timeout", 600).default(DEFAULT_VERIFY_TIMEOUT_SECONDS),
});
export type NginxTargetConfig = z.output<typeof nginxTargetConfigSchema>;

export const sshTargetConfigShape = {
  host: trimmed.pipe(
    z
      .string()
      .min(1, "Enter the host's name or address")
      .max(253, "At most 253 characters")
      .regex(/^[^\s@/]+$/, "Enter a host name or address only, without a user or a path"),
  ),
  port: z.number({ error: "Enter a port number" }).int("Enter a port number").min(1, "From 1 to 65535").max(65535, "From 1 to 65535").default(DEFAULT_SSH_PORT),
  username: trimmed.pipe(
    z
      .string()
      .min(1, "Enter the user CertDeck logs in as")
      .regex(/^[A-Za-z_][A-Za-z0-9._-]{0,31}\$?$/, "Enter a user name, such as deploy"),
  ),
  fullchainPath: FILE_PATH.default(""),
  chainPath: FILE_PATH.default(""),
  certPath: FILE_PATH.default(""),
  keyPath: FILE_PATH.default(""),
  certificateMode: MODE.default(DEFAULT_CERTIFICATE_MODE),
  keyMode: MODE.refine((mode) => (mode & 0o007) === 0, "Others must not read or write a private key: use 0600 or 0640").default(DEFAULT_KEY_MODE),
  owner: OWNER.default(""),
  group: OWNER.default(""),
  reloadCommand: commandLine(null).default(SSH_RELOAD_PRESET),
  reloadTimeoutSeconds: seconds("reload timeout", 600).default(DEFAULT_COMMAND_TIMEOUT_SECONDS),
  /** Probe the served certificate after the reload. */
  verify: z.boolean().default(true),
  /** "" = the SSH host, port 443. */
  verifyAddress: verifyAddress({ allowEmpty: true }).default(""),
  verifyTimeoutSeconds: seconds("verify timeout", 600).default(DEFAULT_VERIFY_TIMEOUT_SECONDS),
};

/** The files' paths together: a key, at least the full chain or the certificate, no path twice. */
export function checkSshPaths(config: { fullchainPath: string; chainPath: string; certPath: string; keyPath: string }, context: z.RefinementCtx): void {
  if (config.keyPath === "")
    context.addIssue({ code: "custom", path: ["keyPath"], message: "Enter where the private key goes, such as /etc/ssl/private/shop.key" });
  if (config.fullchainPath === "" && config.certPath === "") {
    context.addIssue({ code: "custom", path: ["fullchainPath"], message: "Enter where the full chain goes (or at least the certificate)" });
  }
  const paths = [config.fullchainPath, config.chainPath, config.certPath, config.keyPath].filter(Boolean);
  if (new Set(paths).size !== paths.length) context.addIssue({ code: "custom", path: ["keyPath"], message: "Two files have the same path" });
}

export const sshTargetConfigSchema = z.strictObject(sshTargetConfigShape).superRefine(checkSshPaths);
export type SshTargetConfig = z.output<typeof sshTargetConfigSchema>;

export const commandTargetConfigSchema = z.strictObject({
  command: commandLine("Enter the command to run, e.g. a script that copies the files and reloads a service"),
  /** null: the hook timeout (Settings → Renewals). */
  timeoutSeconds: seconds("timeout", 3600).nullable().default(null),
  /** "" = nothing to verify. */
  verifyAddress: verifyAddress({ allowEmpty: true }).default(""),
  verifyTimeoutSeconds: seconds("verify timeout", 600).default(DEFAULT_VERIFY_TIMEOUT_SECONDS),
});
export type CommandTargetConfig = z.output<typeof commandTargetConfigSchema>;

/**
 * The settings that are shell command lines. A command may hold a credential (a token in a curl
 * line), so the audit log names a changed one without its text and the REST API never serves them.
 */
export const COMMAND_SETTINGS = ["testCommand", "reloadCommand", "command"] as const;

/** A target's settings without its command lines. */
export function withoutCommands(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !(COMMAND_SETTINGS as readonly string[]).includes(key)));
}

export const TARGET_CONFIG_SCHEMAS = {
  nginx: nginxTargetConfigSchema,
  ssh: sshTargetConfigSchema,
  command: commandTargetConfigSchema,
} as const;

export type TargetConfig =
  { type: "nginx"; config: NginxTargetConfig } | { type: "ssh"; config: SshTargetConfig } | { type: "command"; config: CommandTargetConfig };

/**
 * A stored target's settings, checked by its type's schema. Throws AppError("invalid_input") with
 * a sentence when they do not parse (edited by hand, written by another version).
 */
export function readTargetConfig(target: { name: string; type: string; config: string }): TargetConfig {
  if (!isActiveTargetType(target.type))
    throw new AppError("invalid_input", `The deploy target "${target.name}" has the type "${target.type}", which has no deploy step here.`);
  let raw: unknown;
  try {
    raw = JSON.parse(target.config);
  } catch {
    raw = null;
  }
  const parsed = TARGET_CONFIG_SCHEMAS[target.type].safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      `The settings of the deploy target "${target.name}" cannot be read (${parsed.error.issues[0]?.path.join(".") || "all of them"}): open it under Settings → Deploy targets and save it again.`,
    );
  }
  return { type: target.type, config: parsed.data } as TargetConfig;
}

/** "0644" for a mode. */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/** The address the verification probes, or null when the target verifies nothing. */
export function verifyAddressOf(target: TargetConfig): string | null {
  switch (target.type) {
    case "nginx":
      return target.config.verifyAddress;
    case "ssh":
      if (!target.config.verify) return null;
      return target.config.verifyAddress || `${target.config.host.includes(":") ? `[${target.config.host}]` : target.config.host}:443`;
    case "command":
      return target.config.verifyAddress || null;
  }
}

/** Where a stored target verifies after a deploy: null for a pull target, one that verifies nothing, or unreadable settings. */
export function storedVerifyAddressOf(target: { name: string; type: string; config: string }): string | null {
  if (!isActiveTargetType(target.type)) return null;
  try {
    return verifyAddressOf(readTargetConfig(target));
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** One line describing the target, for lists: "deploy@web-1:22 → /etc/ssl/shop.pem", "127.0.0.1:443". */
export function summarizeTarget(target: TargetConfig): string {
  switch (target.type) {
    case "nginx":
      return `live/ files · verify at ${target.config.verifyAddress}`;
    case "ssh": {
      const host = target.config.host.includes(":") ? `[${target.config.host}]` : target.config.host;
      const where = target.config.fullchainPath || target.config.certPath;
      return `${target.config.username}@${host}:${target.config.port} → ${where}`;
    }
    case "command":
      return target.config.command.length > 80 ? `${target.config.command.slice(0, 79)}…` : target.config.command;
  }
}
