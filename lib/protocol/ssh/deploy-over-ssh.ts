/**
 * One deploy to a remote host: connect (checking the pinned host key), install the files
 * atomically, run the reload command. Verifying what the host then serves (a TLS probe of its
 * address and port) is the caller's next step.
 */
import { connectSsh, type SshTarget } from "@/lib/protocol/ssh/connect";
import type { HostKey } from "@/lib/protocol/ssh/host-key";
import { installFiles, type InstalledFile, type RemoteFile } from "@/lib/protocol/ssh/install-files";
import { requireSuccess, runRemoteCommand, type RemoteCommandResult } from "@/lib/protocol/ssh/remote-command";

/** The reload preset for a systemd host running nginx. */
export const NGINX_RELOAD_COMMAND = "nginx -t && systemctl reload nginx";

export interface SshDeployPlan {
  files: RemoteFile[];
  /** Run after the files are in place, through the login shell; empty/null = none. */
  reloadCommand?: string | null;
  /** Default 60 s. */
  reloadTimeoutMs?: number;
  /**
   * Called once the host key is checked, before anything is written, so that a first
   * connection's key is pinned even if a later step fails.
   */
  onHostKey?: (hostKey: HostKey, isNew: boolean) => void | Promise<void>;
}

export interface SshDeployResult {
  target: string;
  hostKey: HostKey;
  hostKeyIsNew: boolean;
  files: InstalledFile[];
  reload: RemoteCommandResult | null;
}

/** Throws AppError: upstream_failed (connection, host key, login), deploy_failed (paths, owner, reload). */
export async function deployOverSsh(target: SshTarget, plan: SshDeployPlan): Promise<SshDeployResult> {
  const connection = await connectSsh(target);
  try {
    await plan.onHostKey?.(connection.hostKey, connection.hostKeyIsNew);
    const files = await installFiles(connection, plan.files);
    const command = plan.reloadCommand?.trim();
    const reload = command
      ? requireSuccess(connection, await runRemoteCommand(connection, command, { timeoutMs: plan.reloadTimeoutMs }), "The reload command")
      : null;
    return { target: connection.label, hostKey: connection.hostKey, hostKeyIsNew: connection.hostKeyIsNew, files, reload };
  } finally {
    connection.close();
  }
}

/** Connects and logs in, nothing more: the "Test connection" button. Returns the host key to pin. */
export async function checkSshLogin(target: SshTarget): Promise<{ target: string; hostKey: HostKey; hostKeyIsNew: boolean }> {
  const connection = await connectSsh(target);
  connection.close();
  return { target: connection.label, hostKey: connection.hostKey, hostKeyIsNew: connection.hostKeyIsNew };
}
