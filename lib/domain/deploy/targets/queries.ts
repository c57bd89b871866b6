/**
 * What pages read about deploy targets: the list (Settings → Deploy targets), one target for its
 * form, and a certificate's targets with the current version's deployment on each. Secrets never
 * leave: an SSH target shows its public key and the pinned host key's fingerprint.
 */
import path from "node:path";
import { db } from "@/lib/data/client";
import { getSetting } from "@/lib/data/settings";
import { certificatesDir } from "@/lib/core/env";
import { DEFAULT_NGINX_RELOAD_COMMAND, DEFAULT_NGINX_TEST_COMMAND, DEFAULT_VERIFY_ADDRESS } from "@/lib/protocol/nginx/guarded-reload";
import { keyTypeLabel } from "@/lib/protocol/ssh/host-key";
import {
  DEFAULT_CERTIFICATE_MODE,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
  DEFAULT_KEY_MODE,
  DEFAULT_SSH_PORT,
  DEFAULT_VERIFY_TIMEOUT_SECONDS,
  DEPLOY_TARGET_TYPE_LABELS,
  SSH_RELOAD_PRESET,
  formatMode,
  isActiveTargetType,
  isPassiveTargetType,
  readTargetConfig,
  summarizeTarget,
  storedVerifyAddressOf,
  withoutCommands,
  deployTargetTypeSchema,
  type DeployTargetType,
} from "@/lib/domain/deploy/targets/target-config";
import { publicKeyOf, type PublicKeyFacts } from "@/lib/domain/deploy/targets/target-credentials";
import { DEPLOYMENT_STATUS_LABELS, parseDeploymentStatus, type DeploymentStatus } from "@/lib/domain/deploy/targets/deployment-status";

export interface TargetRef {
  id: string;
  name: string;
  type: string;
  config: string;
  credentialsEnc: string | null;
  hostKeyFingerprint: string | null;
  hostKeyType: string | null;
  isDefault: boolean;
}

const TARGET_REF = {
  id: true,
  name: true,
  type: true,
  config: true,
  credentialsEnc: true,
  hostKeyFingerprint: true,
  hostKeyType: true,
  isDefault: true,
} as const;

/** Deploy order: commands and SSH hosts before the local nginx, whose rollback moves live/ back. */
const TYPE_ORDER: Record<string, number> = { command: 0, ssh: 1, pull: 2, nginx: 3 };

/**
 * The targets a certificate deploys to: its own, or, when it has none, every default target. In
 * deploy order (commands, SSH hosts, pull agents, then local nginx: a rolled-back nginx deploy
 * points live/ at the previous version, which later readers of live/ would get), then by name.
 */
export async function resolveTargetsForCertificate(certificateId: string): Promise<{ usesDefaults: boolean; targets: TargetRef[] }> {
  const own = await db.deployTarget.findMany({ where: { certificates: { some: { certificateId } } }, select: TARGET_REF });
  // A pull agent fetches this certificate on its own: it never replaces the default targets.
  const pushed = own.filter((target) => isActiveTargetType(target.type));
  const pulled = own.filter((target) => !isActiveTargetType(target.type));
  const usesDefaults = pushed.length === 0;
  const targets = [...(usesDefaults ? await db.deployTarget.findMany({ where: { isDefault: true }, select: TARGET_REF }) : pushed), ...pulled];
  return { usesDefaults, targets: targets.sort((a, b) => (TYPE_ORDER[a.type] ?? 9) - (TYPE_ORDER[b.type] ?? 9) || a.name.localeCompare(b.name)) };
}

function typeLabel(type: string): string {
  return DEPLOY_TARGET_TYPE_LABELS[type as DeployTargetType] ?? type;
}

function summaryOf(target: { name: string; type: string; config: string }): string {
  if (isPassiveTargetType(target.type)) return "fetched by its agent";
  try {
    return summarizeTarget(readTargetConfig(target));
  } catch (error) {
    return (error as Error).message;
  }
}

/** What every list of targets shows of one. */
export interface DeployTargetSummary {
  id: string;
  name: string;
  type: string;
  typeLabel: string;
  /** One line on where it deploys ("fetched by its agent" for a pull target), or why its settings cannot be read. */
  summary: string;
  isPassive: boolean;
}

function toTargetSummary(target: { id: string; name: string; type: string; config: string }): DeployTargetSummary {
  return {
    id: target.id,
    name: target.name,
    type: target.type,
    typeLabel: typeLabel(target.type),
    summary: summaryOf(target),
    isPassive: isPassiveTargetType(target.type),
  };
}

export interface HostKeyView {
  fingerprint: string;
  /** "ED25519" */
  typeLabel: string;
}

function hostKeyOf(target: { hostKeyFingerprint: string | null; hostKeyType: string | null }): HostKeyView | null {
  return target.hostKeyFingerprint ? { fingerprint: target.hostKeyFingerprint, typeLabel: target.hostKeyType ? keyTypeLabel(target.hostKeyType) : "" } : null;
}

export interface DeployTargetListRow extends DeployTargetSummary {
  isDefault: boolean;
  hostKey: HostKeyView | null;
  /** Certificates that chose it (default targets also serve every certificate without targets of its own). */
  assignedTo: number;
  /** How the certificates' current versions stand on it: { verified: 3, failed: 1 }. */
  statusCounts: Partial<Record<DeploymentStatus, number>>;
}

/** Every target (or the one with `id`), by name, with how many certificates chose it and how their current versions stand on it. */
async function readTargetsWithCounts(
  id?: string,
): Promise<Array<{ target: TargetRef; assignedTo: number; statusCounts: DeployTargetListRow["statusCounts"] }>> {
  const [targets, counts] = await Promise.all([
    db.deployTarget.findMany({ where: { id }, orderBy: { name: "asc" }, select: { ...TARGET_REF, _count: { select: { certificates: true } } } }),
    db.deployment.groupBy({ by: ["targetId", "status"], where: { targetId: id, version: { currentOf: { isNot: null } } }, _count: { _all: true } }),
  ]);
  return targets.map(({ _count, ...target }) => {
    const statusCounts: Partial<Record<DeploymentStatus, number>> = {};
    for (const row of counts.filter((count) => count.targetId === target.id)) {
      const status = parseDeploymentStatus(row.status);
      statusCounts[status] = (statusCounts[status] ?? 0) + row._count._all;
    }
    return { target, assignedTo: _count.certificates, statusCounts };
  });
}

export async function listDeployTargets(): Promise<DeployTargetListRow[]> {
  return (await readTargetsWithCounts()).map(({ target, ...counts }) => ({
    ...toTargetSummary(target),
    isDefault: target.isDefault,
    hostKey: hostKeyOf(target),
    ...counts,
  }));
}

/**
 * One deploy target as the REST API describes it (lib/web/api/resources.ts writes the JSON). No
 * secret, and no command's text: a command line may hold a credential (COMMAND_SETTINGS).
 */
export interface DeployTargetRecord {
  id: string;
  name: string;
  type: DeployTargetType;
  isDefault: boolean;
  /** The type's settings without its commands; null for a pull target, or when they cannot be read (settingsProblem). */
  settings: Record<string, unknown> | null;
  settingsProblem: string | null;
  hostKey: HostKeyView | null;
  /** SSH: the public half of the stored key, for authorized_keys. */
  publicKey: PublicKeyFacts | null;
  hasPrivateKey: boolean;
  assignedTo: number;
  statusCounts: Partial<Record<DeploymentStatus, number>>;
}

function toDeployTargetRecord({ target, assignedTo, statusCounts }: Awaited<ReturnType<typeof readTargetsWithCounts>>[number]): DeployTargetRecord {
  let settings: Record<string, unknown> | null = null;
  let settingsProblem: string | null = null;
  if (!isPassiveTargetType(target.type)) {
    try {
      settings = withoutCommands(readTargetConfig(target).config);
    } catch (error) {
      settingsProblem = (error as Error).message;
    }
  }
  return {
    id: target.id,
    name: target.name,
    type: deployTargetTypeSchema.parse(target.type),
    isDefault: target.isDefault,
    settings,
    settingsProblem,
    hostKey: hostKeyOf(target),
    publicKey: target.type === "ssh" ? publicKeyOf(target) : null,
    hasPrivateKey: Boolean(target.credentialsEnc),
    assignedTo,
    statusCounts,
  };
}

export async function listDeployTargetRecords(): Promise<DeployTargetRecord[]> {
  return (await readTargetsWithCounts()).map(toDeployTargetRecord);
}

export async function findDeployTargetRecord(id: string): Promise<DeployTargetRecord | null> {
  const [row] = await readTargetsWithCounts(id);
  return row ? toDeployTargetRecord(row) : null;
}

export interface DeployTargetForEdit {
  id: string;
  name: string;
  type: string;
  typeLabel: string;
  isDefault: boolean;
  /** The form's fields as text (modes in octal); secrets are absent. */
  values: Record<string, string>;
  /** Could the stored settings be read? When not, the form starts from the defaults. */
  configProblem: string | null;
  hostKey: HostKeyView | null;
  /** SSH: the public half of the stored key, to put into authorized_keys. */
  publicKey: PublicKeyFacts | null;
  hasPrivateKey: boolean;
  certificates: Array<{ id: string; name: string }>;
}

export async function getDeployTargetForEdit(id: string): Promise<DeployTargetForEdit | null> {
  const target = await db.deployTarget.findUnique({
    where: { id },
    select: { ...TARGET_REF, certificates: { select: { certificate: { select: { id: true, name: true } } }, orderBy: { certificate: { name: "asc" } } } },
  });
  if (!target) return null;
  const values: Record<string, string> = { name: target.name, type: target.type, isDefault: target.isDefault ? "on" : "" };
  let configProblem: string | null = null;
  if (!isPassiveTargetType(target.type)) {
    try {
      const { config } = readTargetConfig(target);
      for (const [key, value] of Object.entries(config)) {
        if (key === "certificateMode" || key === "keyMode") values[key] = formatMode(value as number);
        else if (typeof value === "boolean") values[key] = value ? "on" : "";
        else values[key] = value === null ? "" : String(value);
      }
    } catch (error) {
      configProblem = (error as Error).message;
    }
  }
  return {
    id: target.id,
    name: target.name,
    type: target.type,
    typeLabel: typeLabel(target.type),
    isDefault: target.isDefault,
    values,
    configProblem,
    hostKey: hostKeyOf(target),
    publicKey: target.type === "ssh" ? publicKeyOf(target) : null,
    hasPrivateKey: Boolean(target.credentialsEnc),
    certificates: target.certificates.map((row) => row.certificate),
  };
}

export interface CertificateTargetDeployment {
  status: DeploymentStatus;
  label: string;
  error: string | null;
  servedFingerprint: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
}

export interface CertificateDeployTargetRow extends DeployTargetSummary {
  /** Where the verification probes, or null (nothing to verify). */
  verifyAddress: string | null;
  /** The current version on this target, or null (not deployed there yet). */
  deployment: CertificateTargetDeployment | null;
}

export interface CertificateDeployTargets {
  usesDefaults: boolean;
  currentVersion: { id: string; version: number; fingerprintSha256: string } | null;
  targets: CertificateDeployTargetRow[];
  /** Every target, to choose from. */
  available: Array<{ id: string; name: string; type: string; typeLabel: string; isDefault: boolean; isChosen: boolean }>;
}

/** The certificate page's "Deploy targets" card, or null when the certificate does not exist. */
export async function getCertificateDeployTargets(certificateId: string): Promise<CertificateDeployTargets | null> {
  const certificate = await db.certificate.findUnique({
    where: { id: certificateId },
    select: { currentVersion: { select: { id: true, version: true, fingerprintSha256: true } }, deployTargets: { select: { targetId: true } } },
  });
  if (!certificate) return null;
  const [{ usesDefaults, targets }, all] = await Promise.all([
    resolveTargetsForCertificate(certificateId),
    db.deployTarget.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, type: true, isDefault: true } }),
  ]);
  const current = certificate.currentVersion;
  const deployments = current
    ? await db.deployment.findMany({
        where: { versionId: current.id },
        select: { targetId: true, status: true, error: true, servedFingerprint: true, attempts: true, nextAttemptAt: true, finishedAt: true },
      })
    : [];
  const chosen = new Set(certificate.deployTargets.map((row) => row.targetId));
  return {
    usesDefaults,
    currentVersion: current,
    targets: targets.map((target) => {
      const row = deployments.find((deployment) => deployment.targetId === target.id);
      const status = row ? parseDeploymentStatus(row.status) : null;
      return {
        ...toTargetSummary(target),
        verifyAddress: storedVerifyAddressOf(target),
        deployment:
          row && status
            ? {
                status,
                label: DEPLOYMENT_STATUS_LABELS[status],
                error: row.error,
                servedFingerprint: row.servedFingerprint,
                attempts: row.attempts,
                nextAttemptAt: row.nextAttemptAt,
                finishedAt: row.finishedAt,
              }
            : null,
      };
    }),
    available: all.map((target) => ({
      id: target.id,
      name: target.name,
      type: target.type,
      typeLabel: typeLabel(target.type),
      isDefault: target.isDefault,
      isChosen: chosen.has(target.id),
    })),
  };
}

/** What the target form starts from (the schemas' defaults, as text for the browser). */
export async function getTargetFormDefaults() {
  return {
    nginxTestCommand: DEFAULT_NGINX_TEST_COMMAND,
    nginxReloadCommand: DEFAULT_NGINX_RELOAD_COMMAND,
    nginxVerifyAddress: DEFAULT_VERIFY_ADDRESS,
    sshReloadPreset: SSH_RELOAD_PRESET,
    sshPort: DEFAULT_SSH_PORT,
    certificateMode: formatMode(DEFAULT_CERTIFICATE_MODE),
    keyMode: formatMode(DEFAULT_KEY_MODE),
    commandTimeoutSeconds: DEFAULT_COMMAND_TIMEOUT_SECONDS,
    verifyTimeoutSeconds: DEFAULT_VERIFY_TIMEOUT_SECONDS,
    hookTimeoutSeconds: await getSetting("hookTimeoutSeconds"),
    liveDir: path.join(certificatesDir(), "live"),
  };
}
