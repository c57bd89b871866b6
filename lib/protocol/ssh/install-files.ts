/**
 * Installs files on the SSH host so that a reader (nginx, a reload) sees the old set or the new
 * set, and a private key is never readable by others, not even for a moment:
 *
 *   1. every file is created under a temporary name in its target directory
 *      (".fullchain.pem.certdeck-1a2b3c.tmp"), exclusively, with owner-only permissions, and its
 *      mode is set again before the first byte is written (a umask cannot widen it);
 *   2. the content is written and synced; the owner/group are set (numeric ids through SFTP,
 *      names through `chown`), then the final mode;
 *   3. only when every file is staged are they renamed over their targets, one after the other
 *      (posix-rename@openssh.com: atomic per file).
 *
 * Any failure before step 3 removes the temporary files: the targets are untouched.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { AppError, fieldError } from "@/lib/core/app-error";
import type { SshConnection } from "@/lib/protocol/ssh/connect";
import { runRemoteCommand, shellQuote } from "@/lib/protocol/ssh/remote-command";
import { SftpSession } from "@/lib/protocol/ssh/sftp-session";

export const PRIVATE_KEY_MODE = 0o600;
export const CERTIFICATE_MODE = 0o644;

export interface RemoteFile {
  /** Where the file goes; absolute, or relative to the login's home directory. */
  path: string;
  content: string | Buffer;
  /** Permission bits; default CERTIFICATE_MODE (0644). Use PRIVATE_KEY_MODE (0600) for keys. */
  mode?: number;
  /** A user name ("www-data") or numeric uid; default: the SSH user (the file's creator). */
  owner?: string | number | null;
  /** A group name ("ssl-cert") or numeric gid; default: the SSH user's group. */
  group?: string | number | null;
}

export interface InstalledFile {
  path: string;
  /** Permission bits as the host reports them after the rename. */
  mode: number;
  uid: number;
  gid: number;
  bytes: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,31}\$?$/;
const NUMERIC = /^[0-9]{1,10}$/;

/** A user or group as given: a number or a digit string is an id, anything else must be a name. */
function ownerPart(value: string | number | null | undefined, field: "owner" | "group"): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value).trim();
  if (NUMERIC.test(text) || NAME.test(text)) return text;
  throw fieldError(field, `"${text}" is not a valid ${field === "owner" ? "user" : "group"} name or numeric id.`);
}

function temporaryPath(target: string): string {
  return path.posix.join(path.posix.dirname(target), `.${path.posix.basename(target)}.certdeck-${randomBytes(6).toString("hex")}.tmp`);
}

interface StagedFile {
  file: RemoteFile;
  temporary: string;
}

export async function installFiles(connection: SshConnection, files: RemoteFile[]): Promise<InstalledFile[]> {
  const plan = files.map((file) => {
    if (file.path.trim() === "" || file.path.endsWith("/")) throw fieldError("path", `"${file.path}" is not a file path.`);
    const mode = file.mode ?? CERTIFICATE_MODE;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw fieldError("mode", `${String(file.mode)} is not a file mode.`);
    return { file, mode, owner: ownerPart(file.owner, "owner"), group: ownerPart(file.group, "group") };
  });
  const targets = new Set(plan.map(({ file }) => path.posix.normalize(file.path)));
  if (targets.size !== plan.length) throw fieldError("path", "Two files have the same remote path.");

  const sftp = await SftpSession.open(connection);
  const staged: StagedFile[] = [];
  try {
    for (const { file, mode, owner, group } of plan) {
      const temporary = temporaryPath(file.path);
      // Owner-only while it is being written; the final mode comes after the owner is set.
      const stagingMode = (mode & 0o700) | 0o600;
      const handle = await sftp.createExclusive(temporary, stagingMode);
      staged.push({ file, temporary });
      try {
        await sftp.fchmod(handle, temporary, stagingMode);
        await sftp.writeAll(handle, temporary, Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8"));
        await sftp.fsync(handle, temporary);
      } finally {
        await sftp.close(handle, temporary).catch(() => undefined);
      }
      if (owner !== null || group !== null) await setOwner(connection, sftp, temporary, file.path, owner, group);
      await sftp.chmod(temporary, mode);
    }
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => sftp.remove(temporary).catch(() => undefined)));
    sftp.end();
    throw error;
  }

  const replaced: string[] = [];
  try {
    for (const { file, temporary } of staged) {
      await sftp.rename(temporary, file.path);
      replaced.push(file.path);
    }
    const installed: InstalledFile[] = [];
    for (const { file } of staged) {
      const stats = await sftp.stat(file.path);
      installed.push({ path: file.path, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, bytes: stats.size });
    }
    return installed;
  } catch (error) {
    const leftovers = staged.filter(({ file }) => !replaced.includes(file.path));
    await Promise.all(leftovers.map(({ temporary }) => sftp.remove(temporary).catch(() => undefined)));
    if (replaced.length > 0 && replaced.length < staged.length && error instanceof AppError) {
      throw new AppError(
        error.code,
        `${error.userMessage} Already replaced: ${replaced.join(", ")}; not replaced: ${leftovers.map(({ file }) => file.path).join(", ")}.`,
        {
          reason: error.reason,
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    sftp.end();
  }
}

/**
 * Numeric ids go through SFTP (setstat); names need the host's user database, so `chown`/`chgrp`
 * runs there. Either way the SSH user must be allowed to (root, or a group it belongs to).
 */
async function setOwner(
  connection: SshConnection,
  sftp: SftpSession,
  temporary: string,
  target: string,
  owner: string | null,
  group: string | null,
): Promise<void> {
  const isNumeric = (value: string | null) => value === null || NUMERIC.test(value);
  if (isNumeric(owner) && isNumeric(group)) {
    const current = await sftp.stat(temporary);
    await sftp.chown(temporary, owner === null ? current.uid : Number(owner), group === null ? current.gid : Number(group));
    return;
  }
  const spec = owner === null ? group! : group === null ? owner : `${owner}:${group}`;
  const command = owner === null ? `chgrp -- ${shellQuote(spec)} ${shellQuote(temporary)}` : `chown -- ${shellQuote(spec)} ${shellQuote(temporary)}`;
  const result = await runRemoteCommand(connection, command, { timeoutMs: 30_000, maxOutputBytes: 4096 });
  if (result.exitCode !== 0) {
    const output = (result.stderr || result.stdout).trim();
    throw new AppError(
      "deploy_failed",
      `Could not give ${target} to ${spec} on ${connection.label}: ${output || `chown exited with ${String(result.exitCode)}`}.`,
      {
        reason: /not permitted/i.test(output) ? "ssh_permission_denied" : "ssh_owner",
        logMessage: `${command} on ${connection.label}: exit ${String(result.exitCode)}: ${result.stderr}`,
      },
    );
  }
}
