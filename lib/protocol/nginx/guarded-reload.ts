import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { archivePaths, listArchivedVersions, pointLiveAtVersion, readLiveVersion } from "@/lib/protocol/lineage/lineage-files";
import { runShellCommand, type ShellCommandResult } from "@/lib/protocol/nginx/run-shell-command";
import { formatEndpointAddress, parseEndpointAddress, type EndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import { waitForServedFingerprint, type ServedFingerprintCheck } from "@/lib/protocol/tls/wait-for-served-fingerprint";
import { AppError } from "@/lib/core/app-error";

/**
 * Deploys a certificate version to a local nginx and proves it: `nginx -t` (stop if nginx
 * refuses its configuration), reload, then ask nginx over TLS, for every name, which
 * certificate it serves, until it is the new version's. If it is not (nginx reads a copy of the
 * files, the reload did nothing, another server answers), live/ goes back to the previous
 * version and nginx is reloaded again, so live/ keeps describing what is actually served and the
 * next attempt starts from a known state.
 *
 * Returns what happened as data, with log-ready steps; the caller (a job) logs and records it.
 */
export const DEFAULT_NGINX_TEST_COMMAND = "nginx -t";
export const DEFAULT_NGINX_RELOAD_COMMAND = "systemctl reload nginx || nginx -s reload";
export const DEFAULT_VERIFY_ADDRESS = "127.0.0.1:443";

export interface GuardedNginxReloadOptions {
  certificatesDir: string;
  /** The certificate's name (its lineage directory is derived from it). */
  certificateName: string;
  /** The version to deploy; live/ is pointed at it first if it does not point there yet. */
  version: number;
  /**
   * Where to go back to when nginx does not serve `version`. Default: the version live/ pointed
   * at before, else the newest archived version below `version`; null: none (a first deploy).
   */
  previousVersion?: number | null;
  /** The names nginx serves this certificate for; each is checked with its own SNI. */
  names: string[];
  /** Where nginx listens for them, "host:port"; default 127.0.0.1:443. */
  address?: string;
  /** Default `nginx -t`; for a test nginx: `nginx -p <prefix> -c <conf> -t`. */
  testCommand?: string;
  /** Default `systemctl reload nginx || nginx -s reload`. */
  reloadCommand?: string;
  /** Per command; default 60 s. */
  commandTimeoutMs?: number;
  /** How long nginx gets to serve the new certificate after the reload; default 30 s. */
  verifyTimeoutMs?: number;
  /** Between verification rounds; default 250 ms. */
  pollIntervalMs?: number;
}

/** One line for the job log (the shape of the job log's step writer). */
export interface GuardedReloadStep {
  step: "live" | "nginx-test" | "reload" | "verify" | "rollback";
  message: string;
  level: "info" | "warn" | "error";
  /** Command output, when there is some. */
  detail?: string;
}

interface ResultBase {
  /** One sentence for the operator. */
  message: string;
  steps: GuardedReloadStep[];
  /** "127.0.0.1:443" */
  address: string;
  version: number;
}

export type GuardedReloadResult =
  /** nginx serves the new version for every name. */
  | (ResultBase & { status: "deployed"; fingerprintSha256: string; checks: ServedFingerprintCheck[] })
  /** `nginx -t` refused: nothing was reloaded, live/ is as it was, nginx serves what it had loaded. */
  | (ResultBase & { status: "config-rejected"; nginxOutput: string })
  /** Not served; live/ points at `rolledBackTo` again and nginx was reloaded with it (if it accepted). */
  | (ResultBase & {
      status: "rolled-back";
      reason: string;
      checks: ServedFingerprintCheck[];
      rollback: { version: number; reloaded: boolean; served: boolean };
    })
  /** Not served, and there was no earlier version to go back to. */
  | (ResultBase & { status: "failed"; reason: string; checks: ServedFingerprintCheck[] });

export async function guardedNginxReload(options: GuardedNginxReloadOptions): Promise<GuardedReloadResult> {
  if (options.names.length === 0)
    throw new AppError("invalid_input", "Name at least one name to check after the reload.", {
      fieldErrors: { names: ["Name at least one name to check after the reload."] },
    });
  let endpoint: EndpointAddress;
  try {
    endpoint = parseEndpointAddress(options.address ?? DEFAULT_VERIFY_ADDRESS);
  } catch (error) {
    throw new AppError("invalid_input", (error as Error).message, { fieldErrors: { address: [(error as Error).message] } });
  }
  const address = formatEndpointAddress(endpoint);
  const { certificatesDir, certificateName, version } = options;
  const testCommand = options.testCommand ?? DEFAULT_NGINX_TEST_COMMAND;
  const reloadCommand = options.reloadCommand ?? DEFAULT_NGINX_RELOAD_COMMAND;
  const commandTimeoutMs = options.commandTimeoutMs ?? 60_000;
  const steps: GuardedReloadStep[] = [];
  const base = () => ({ steps, address, version });

  const fingerprints = await readVersionFingerprints(certificatesDir, certificateName);
  const fingerprint = fingerprints.get(version);
  if (!fingerprint)
    throw new AppError("filesystem", `Version ${version} of ${certificateName} is not in the certificates directory, so it cannot be deployed.`);
  const liveBefore = await readLiveVersion(certificatesDir, certificateName);
  const previousVersion =
    options.previousVersion !== undefined
      ? options.previousVersion
      : liveBefore !== null && liveBefore !== version
        ? liveBefore
        : ([...fingerprints.keys()].filter((candidate) => candidate < version).pop() ?? null);

  if (previousVersion !== null && !fingerprints.has(previousVersion)) {
    // Checked now, not when a rollback needs it: a rollback must never fail half-way.
    throw new AppError(
      "filesystem",
      `Version ${previousVersion} of ${certificateName} is not in the certificates directory, so a deploy could not be rolled back to it.`,
    );
  }

  if (liveBefore !== version) {
    await pointLiveAtVersion(certificatesDir, certificateName, version);
    steps.push({ step: "live", level: "info", message: `live/ now points at version ${version}${liveBefore === null ? "" : ` (was ${liveBefore})`}` });
  }

  const test = await runShellCommand(testCommand, commandTimeoutMs);
  if (test.exitCode !== 0) {
    steps.push({ step: "nginx-test", level: "error", message: `${testCommand} refuses the configuration: nginx was not reloaded`, detail: test.output });
    if (liveBefore !== null && liveBefore !== version) {
      await pointLiveAtVersion(certificatesDir, certificateName, liveBefore);
      steps.push({ step: "live", level: "info", message: `live/ points at version ${liveBefore} again, as before` });
    }
    return {
      ...base(),
      status: "config-rejected",
      nginxOutput: test.output,
      message: `Deploy stopped before the reload: ${commandFailure(test)}. nginx keeps serving the certificate it had loaded.`,
    };
  }
  steps.push({ step: "nginx-test", level: "info", message: `${testCommand}: the configuration is valid`, detail: test.output || undefined });

  const reload = await runShellCommand(reloadCommand, commandTimeoutMs);
  let reason: string;
  let checks: ServedFingerprintCheck[] = [];
  if (reload.exitCode !== 0) {
    reason = `the reload command failed: ${commandFailure(reload)}`;
    steps.push({ step: "reload", level: "error", message: `${reloadCommand} failed`, detail: reload.output });
  } else {
    steps.push({ step: "reload", level: "info", message: `${reloadCommand}: done`, detail: reload.output || undefined });
    const verified = await waitForServedFingerprint({
      ...endpoint,
      names: options.names,
      fingerprintSha256: fingerprint,
      timeoutMs: options.verifyTimeoutMs ?? 30_000,
      pollIntervalMs: options.pollIntervalMs,
    });
    checks = verified.checks;
    if (verified.allMatch) {
      const message = `nginx serves version ${version} (fingerprint ${fingerprint}) at ${address} for ${options.names.join(", ")}`;
      steps.push({ step: "verify", level: "info", message });
      return { ...base(), status: "deployed", fingerprintSha256: fingerprint, checks, message: `Deployed: ${message}.` };
    }
    reason = checks
      .filter((check) => !check.matches)
      .map((check) => describeMismatch(check, fingerprints, previousVersion, address))
      .join("; ");
    steps.push({ step: "verify", level: "error", message: `Version ${version} is not served: ${reason}` });
  }

  if (previousVersion === null) {
    return { ...base(), status: "failed", reason, checks, message: `Deploy failed: ${reason}. There is no earlier version to roll back to.` };
  }
  const rollback = await rollBack({
    certificatesDir,
    certificateName,
    previousVersion,
    fingerprint: fingerprints.get(previousVersion),
    endpoint,
    options,
    testCommand,
    reloadCommand,
    commandTimeoutMs,
    steps,
  });
  const after = rollback.reloaded
    ? rollback.served
      ? ""
      : `; after the rollback nginx does not serve version ${previousVersion} either, check it by hand`
    : "; nginx was not reloaded after the rollback, check it by hand";
  return {
    ...base(),
    status: "rolled-back",
    reason,
    checks,
    rollback: { version: previousVersion, ...rollback },
    message: `Deploy failed, rolled back to version ${previousVersion}: ${reason}${after}.`,
  };
}

/** live/ back to the previous version, then the same test and reload, then a shorter look at what is served. */
async function rollBack(input: {
  certificatesDir: string;
  certificateName: string;
  previousVersion: number;
  fingerprint: string | undefined;
  endpoint: EndpointAddress;
  options: GuardedNginxReloadOptions;
  testCommand: string;
  reloadCommand: string;
  commandTimeoutMs: number;
  steps: GuardedReloadStep[];
}): Promise<{ reloaded: boolean; served: boolean }> {
  const { steps, previousVersion } = input;
  await pointLiveAtVersion(input.certificatesDir, input.certificateName, previousVersion);
  steps.push({ step: "rollback", level: "warn", message: `live/ points at version ${previousVersion} again` });
  const test = await runShellCommand(input.testCommand, input.commandTimeoutMs);
  if (test.exitCode !== 0) {
    steps.push({
      step: "rollback",
      level: "error",
      message: `${input.testCommand} refuses the configuration: nginx was not reloaded after the rollback`,
      detail: test.output,
    });
    return { reloaded: false, served: false };
  }
  const reload = await runShellCommand(input.reloadCommand, input.commandTimeoutMs);
  if (reload.exitCode !== 0) {
    steps.push({ step: "rollback", level: "error", message: `${input.reloadCommand} failed after the rollback`, detail: reload.output });
    return { reloaded: false, served: false };
  }
  if (!input.fingerprint) return { reloaded: true, served: false };
  const verified = await waitForServedFingerprint({
    ...input.endpoint,
    names: input.options.names,
    fingerprintSha256: input.fingerprint,
    timeoutMs: input.options.verifyTimeoutMs ?? 30_000,
    pollIntervalMs: input.options.pollIntervalMs,
  });
  steps.push(
    verified.allMatch
      ? { step: "rollback", level: "info", message: `nginx was reloaded and serves version ${previousVersion}` }
      : { step: "rollback", level: "error", message: `nginx was reloaded but does not serve version ${previousVersion}` },
  );
  return { reloaded: true, served: verified.allMatch };
}

/** "nginx still serves version 1 (fingerprint …) at 127.0.0.1:443 for shop.example.test" */
function describeMismatch(check: ServedFingerprintCheck, fingerprints: Map<number, string>, previousVersion: number | null, address: string): string {
  const served = check.probe.served;
  if (!served) return `nginx could not be checked at ${address} for ${check.name}: ${check.probe.message}`;
  const fingerprint = served.leaf.fingerprintSha256;
  const servedVersion = [...fingerprints].find(([, candidate]) => candidate === fingerprint)?.[0];
  if (servedVersion === undefined) {
    return `nginx serves a certificate that is not from this lineage (for ${served.leaf.subjectAltNames.join(", ") || served.leaf.subject}, fingerprint ${fingerprint}) at ${address} for ${check.name}`;
  }
  return `nginx ${servedVersion === previousVersion ? "still " : ""}serves version ${servedVersion} (fingerprint ${fingerprint}) at ${address} for ${check.name}`;
}

function commandFailure(result: ShellCommandResult): string {
  const how = result.timedOut ? "timed out" : result.exitCode === null ? "could not run" : `exit ${result.exitCode}`;
  return `${result.command} (${how})${result.output ? `: ${result.output}` : ""}`;
}

/** fingerprint of archive/<name>/certN.pem for every archived version N. */
async function readVersionFingerprints(certificatesDir: string, certificateName: string): Promise<Map<number, string>> {
  const fingerprints = new Map<number, string>();
  for (const version of await listArchivedVersions(certificatesDir, certificateName)) {
    const pem = await readFile(archivePaths(certificatesDir, certificateName, version).cert, "utf8");
    fingerprints.set(version, new X509Certificate(pem).fingerprint256);
  }
  return fingerprints;
}
