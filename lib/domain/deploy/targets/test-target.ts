/**
 * "Test" on a deploy target, without deploying anything: SSH logs in (pinning the host key on the
 * first connection, refusing a changed one and showing both fingerprints), nginx runs its test
 * command, a command is checked for shell syntax.
 */
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { checkSshLogin } from "@/lib/protocol/ssh/deploy-over-ssh";
import { scanHostKey } from "@/lib/protocol/ssh/connect";
import { runShellCommand } from "@/lib/protocol/nginx/run-shell-command";
import { shellQuote } from "@/lib/protocol/ssh/remote-command";
import { defineCommand } from "@/lib/domain/command/define-command";
import { readTargetConfig } from "@/lib/domain/deploy/targets/target-config";
import { findActiveTargetOrThrow } from "@/lib/domain/deploy/targets/manage-targets";
import { describeHostKey, pinFirstHostKey, SSH_CONNECT_TIMEOUT_MS, SSH_HANDSHAKE_TIMEOUT_MS, sshTargetOf } from "@/lib/domain/deploy/targets/ssh-host";

export interface DeployTargetTestResult {
  ok: boolean;
  /** One sentence: what was checked and how it went. */
  message: string;
  /** Command output, when there is some. */
  output?: string;
  /** SSH: the host key the server showed, and whether this test pinned it. */
  hostKey?: { fingerprint: string; type: string; description: string; isNewlyPinned: boolean };
  /** SSH: the host shows another key than the pinned one (nothing was sent): both, to compare and accept. */
  changedHostKey?: { seen: string; seenDescription: string; pinned: string };
}

const TEST_TIMEOUT_MS = 30_000;

/** Needs "write": a first SSH connection pins the host key, which is a change. */
export const testDeployTarget = defineCommand(
  { name: "deploy-target.test", permission: "write", does: "test deploy targets", input: z.object({ id: idSchema }) },
  async ({ id }, context): Promise<DeployTargetTestResult> => {
    const target = await findActiveTargetOrThrow(id);
    const settings = readTargetConfig(target);
    switch (settings.type) {
      case "nginx": {
        const result = await runShellCommand(settings.config.testCommand, TEST_TIMEOUT_MS);
        const ok = result.exitCode === 0;
        return {
          ok,
          message: ok
            ? `${settings.config.testCommand}: nginx accepts its configuration.`
            : `${settings.config.testCommand} failed (${result.timedOut ? "timed out" : result.exitCode === null ? "could not run" : `exit ${result.exitCode}`}): a deploy would stop before the reload.`,
          output: result.output || undefined,
        };
      }
      case "command": {
        const result = await runShellCommand(`/bin/sh -n -c ${shellQuote(settings.config.command)}`, TEST_TIMEOUT_MS);
        const ok = result.exitCode === 0;
        return {
          ok,
          message: ok
            ? "The command's shell syntax is valid. It runs for real only when a certificate is deployed (use Deploy now on a certificate's page)."
            : "The shell refuses the command's syntax.",
          output: result.output || undefined,
        };
      }
      case "ssh": {
        const sshTarget = sshTargetOf(target, settings.config);
        try {
          const login = await checkSshLogin(sshTarget);
          const isNewlyPinned = login.hostKeyIsNew ? await pinFirstHostKey(target.id, login.hostKey) : false;
          if (isNewlyPinned)
            await context.audit({
              target: target.name,
              action: "deploy-target.pin-host-key",
              detail: { pinned: login.hostKey.fingerprint, type: login.hostKey.type },
            });
          const hostKey = { ...login.hostKey, description: describeHostKey(login.hostKey), isNewlyPinned };
          return {
            ok: true,
            message: isNewlyPinned
              ? `Logged in as ${login.target}. First connection: the host key ${hostKey.description} is now pinned; compare it with ssh-keygen -lf on the host.`
              : `Logged in as ${login.target}; the host key is the pinned one (${hostKey.description}).`,
            hostKey,
          };
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.reason === "ssh_host_key_changed" && target.hostKeyFingerprint) {
            const seen = await scanHostKey(settings.config.host, settings.config.port, {
              connectTimeoutMs: SSH_CONNECT_TIMEOUT_MS,
              handshakeTimeoutMs: SSH_HANDSHAKE_TIMEOUT_MS,
            }).catch(() => null);
            if (seen)
              return {
                ok: false,
                message: error.userMessage,
                changedHostKey: { seen: seen.fingerprint, seenDescription: describeHostKey(seen), pinned: target.hostKeyFingerprint },
              };
          }
          return { ok: false, message: error.userMessage };
        }
      }
    }
  },
);
