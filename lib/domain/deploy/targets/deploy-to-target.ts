import "server-only";
/**
 * One attempt to deploy one certificate version to one target, logged step by step, returned as
 * data for the Deployment row:
 *
 * - nginx (this server): the guarded reload (nginx -t, reload, the served fingerprint for every
 *   name, and back to the previous version in live/ when it is not served);
 * - ssh: the files installed atomically with their modes, the reload command, then the served
 *   fingerprint at the verify address (no remote rollback: CertDeck keeps no copy of the host's
 *   previous files, and says so);
 * - command: the command with certbot's RENEWED_LINEAGE and RENEWED_DOMAINS, then the served
 *   fingerprint when the target has a verify address.
 */
import { splitPemChain } from "@/lib/protocol/x509/x509";
import { guardedNginxReload } from "@/lib/protocol/nginx/guarded-reload";
import { deployOverSsh } from "@/lib/protocol/ssh/deploy-over-ssh";
import type { RemoteFile } from "@/lib/protocol/ssh/install-files";
import { parseEndpointAddress, formatEndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import { waitForServedFingerprint, type ServedFingerprintCheck } from "@/lib/protocol/tls/wait-for-served-fingerprint";
import { AppError } from "@/lib/core/app-error";
import { certificatesDir } from "@/lib/core/env";
import { hookEnvironment } from "@/lib/domain/deploy/hooks";
import { runLoggedHook, type DeployLog } from "@/lib/domain/deploy/logged-hook";
import {
  formatMode,
  readTargetConfig,
  verifyAddressOf,
  type CommandTargetConfig,
  type NginxTargetConfig,
  type SshTargetConfig,
} from "@/lib/domain/deploy/targets/target-config";
import { describeHostKey, pinFirstHostKey, sshTargetOf } from "@/lib/domain/deploy/targets/ssh-host";
import type { TargetRef } from "@/lib/domain/deploy/targets/queries";

export interface VersionToDeploy {
  certificateName: string;
  /** The certificate's names; each is checked with its own SNI. */
  names: string[];
  version: number;
  fingerprintSha256: string;
  /** Leaf first, then the intermediates. */
  chainPem: string;
  privateKeyPem: string;
  /** live/<name>/, for commands (RENEWED_LINEAGE). */
  liveDir: string;
  /** For commands without their own timeout: the hook timeout (Settings → Renewals). */
  hookTimeoutMs: number;
}

export interface TargetAttempt {
  status: "verified" | "deployed" | "failed" | "rolled-back";
  /** Why it failed, in a sentence; null when it did not. */
  error: string | null;
  /** The leaf the verification saw (the new one when verified; what is served instead otherwise). */
  servedFingerprint: string | null;
  /** A transient failure (the host did not answer): worth trying again later. */
  isRetryable: boolean;
}

const STEP = "deploy";

/** What every step of one attempt works with: the version, the job's log, and "<target name>: " before each line. */
interface Attempt {
  version: VersionToDeploy;
  log: DeployLog;
  prefix: string;
}

export async function deployToTarget(target: TargetRef, version: VersionToDeploy, log: DeployLog): Promise<TargetAttempt> {
  const prefix = `${target.name}: `;
  const attempt: Attempt = { version, log, prefix };
  try {
    const settings = readTargetConfig(target);
    switch (settings.type) {
      case "nginx":
        return await deployToNginx(settings.config, attempt);
      case "ssh":
        return await deployOverSshTarget(target, settings.config, attempt);
      case "command":
        return await deployWithCommand(target, settings.config, attempt);
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await log(STEP, `${prefix}${error.userMessage}`, { level: "error" });
    return { status: "failed", error: error.userMessage, servedFingerprint: null, isRetryable: error.isRetryable };
  }
}

/** SNI names to check: a wildcard is checked with a name it covers. */
export function namesToVerify(names: string[]): string[] {
  return names.map((name) => (name.startsWith("*.") ? `certdeck-check.${name.slice(2)}` : name));
}

async function deployToNginx(config: NginxTargetConfig, { version, log, prefix }: Attempt): Promise<TargetAttempt> {
  const result = await guardedNginxReload({
    certificatesDir: certificatesDir(),
    certificateName: version.certificateName,
    version: version.version,
    names: namesToVerify(version.names),
    address: config.verifyAddress,
    testCommand: config.testCommand,
    reloadCommand: config.reloadCommand,
    verifyTimeoutMs: config.verifyTimeoutSeconds * 1000,
  });
  for (const step of result.steps) await log(STEP, `${prefix}${step.message}`, { level: step.level, detail: step.detail });
  switch (result.status) {
    case "deployed":
      return { status: "verified", error: null, servedFingerprint: result.fingerprintSha256, isRetryable: false };
    case "config-rejected":
      return { status: "failed", error: result.message, servedFingerprint: null, isRetryable: false };
    case "rolled-back":
      return { status: "rolled-back", error: result.message, servedFingerprint: servedInstead(result.checks), isRetryable: false };
    case "failed":
      return { status: "failed", error: result.message, servedFingerprint: servedInstead(result.checks), isRetryable: false };
  }
}

function servedInstead(checks: ServedFingerprintCheck[]): string | null {
  return checks.find((check) => !check.matches && check.probe.served)?.probe.served?.leaf.fingerprintSha256 ?? null;
}

async function deployOverSshTarget(target: TargetRef, config: SshTargetConfig, attempt: Attempt): Promise<TargetAttempt> {
  const { version, log, prefix } = attempt;
  const [leaf, ...intermediates] = splitPemChain(version.chainPem);
  const owner = config.owner || null;
  const group = config.group || null;
  const certificateFile = (path: string, content: string): RemoteFile => ({ path, content, mode: config.certificateMode, owner, group });
  const files: RemoteFile[] = [
    ...(config.fullchainPath ? [certificateFile(config.fullchainPath, [leaf, ...intermediates].join(""))] : []),
    ...(config.chainPath ? [certificateFile(config.chainPath, intermediates.join(""))] : []),
    ...(config.certPath ? [certificateFile(config.certPath, leaf)] : []),
    {
      path: config.keyPath,
      content: version.privateKeyPem.endsWith("\n") ? version.privateKeyPem : `${version.privateKeyPem}\n`,
      mode: config.keyMode,
      owner,
      group,
    },
  ];
  const sshTarget = sshTargetOf(target, config);
  await log(STEP, `${prefix}Connecting to ${config.username}@${config.host}:${config.port}`);
  const result = await deployOverSsh(sshTarget, {
    files,
    reloadCommand: config.reloadCommand || null,
    reloadTimeoutMs: config.reloadTimeoutSeconds * 1000,
    onHostKey: async (hostKey, isNew) => {
      if (isNew) {
        await pinFirstHostKey(target.id, hostKey);
        await log(STEP, `${prefix}First connection: pinned the host key ${describeHostKey(hostKey)}; a different key will be refused from now on`, {
          level: "warn",
        });
      } else {
        await log(STEP, `${prefix}The host key is the pinned one (${describeHostKey(hostKey)})`);
      }
    },
  });
  await log(
    STEP,
    `${prefix}Installed version ${version.version} on ${result.target}: ${result.files.map((file) => `${file.path} (${formatMode(file.mode)})`).join(", ")}`,
    {
      detail: result.files.map((file) => `${file.path}  mode ${formatMode(file.mode)}  uid ${file.uid}  gid ${file.gid}  ${file.bytes} bytes`).join("\n"),
    },
  );
  if (result.reload) {
    const output = [result.reload.stdout.trim(), result.reload.stderr.trim()].filter(Boolean).join("\n");
    await log(STEP, `${prefix}${result.reload.command}: exit 0`, output ? { detail: output } : undefined);
  } else {
    await log(STEP, `${prefix}No reload command is set: the host's services read the new files when they next load them`, { level: "warn" });
  }
  const address = verifyAddressOf({ type: "ssh", config });
  if (!address) {
    await log(STEP, `${prefix}Not verified: verification is off for this target`);
    return { status: "deployed", error: null, servedFingerprint: null, isRetryable: false };
  }
  return verifyServed(attempt, {
    address,
    timeoutMs: config.verifyTimeoutSeconds * 1000,
    afterMismatch: `The files on ${config.host} are version ${version.version}; CertDeck keeps no copy of the host's previous files, so nothing was rolled back there. Check what answers at that address (the reload command, the paths in the server's configuration).`,
  });
}

async function deployWithCommand(target: TargetRef, config: CommandTargetConfig, attempt: Attempt): Promise<TargetAttempt> {
  const { version, log, prefix } = attempt;
  const timeoutMs = config.timeoutSeconds === null ? version.hookTimeoutMs : config.timeoutSeconds * 1000;
  const outcome = await runLoggedHook({
    step: STEP,
    label: "command",
    command: config.command,
    env: hookEnvironment(version.liveDir, version.names),
    timeoutMs,
    log,
    prefix,
  });
  if (outcome.status === "failed") return { status: "failed", error: outcome.reason, servedFingerprint: null, isRetryable: false };
  const address = verifyAddressOf({ type: "command", config });
  if (!address) return { status: "deployed", error: null, servedFingerprint: null, isRetryable: false };
  return verifyServed(attempt, {
    address,
    timeoutMs: config.verifyTimeoutSeconds * 1000,
    afterMismatch: `The command of "${target.name}" ran; check that it installs the new files and reloads the service that answers there.`,
  });
}

/**
 * Asks the address, for every name, which certificate it serves, until it is this version's or
 * the time is up. A mismatch is "served ≠ issued", with what is served instead.
 */
async function verifyServed({ version, log, prefix }: Attempt, input: { address: string; timeoutMs: number; afterMismatch: string }): Promise<TargetAttempt> {
  const endpoint = parseEndpointAddress(input.address);
  const address = formatEndpointAddress(endpoint);
  const names = namesToVerify(version.names);
  const verified = await waitForServedFingerprint({ ...endpoint, names, fingerprintSha256: version.fingerprintSha256, timeoutMs: input.timeoutMs });
  if (verified.allMatch) {
    await log(STEP, `${prefix}Verified: ${address} serves version ${version.version} (fingerprint ${version.fingerprintSha256}) for ${names.join(", ")}`);
    return { status: "verified", error: null, servedFingerprint: version.fingerprintSha256, isRetryable: false };
  }
  const mismatches = verified.checks
    .filter((check) => !check.matches)
    .map((check) => {
      const served = check.probe.served;
      return served
        ? `${address} serves ${served.leaf.subjectAltNames.join(", ") || served.leaf.subject} (fingerprint ${served.leaf.fingerprintSha256}) for ${check.name}`
        : `${address} could not be checked for ${check.name}: ${check.probe.message}`;
    });
  const reason = `Served ≠ issued: version ${version.version} (fingerprint ${version.fingerprintSha256}) is not served. ${mismatches.join("; ")}. ${input.afterMismatch}`;
  await log(STEP, `${prefix}${reason}`, { level: "error" });
  return { status: "failed", error: reason, servedFingerprint: servedInstead(verified.checks), isRetryable: false };
}
