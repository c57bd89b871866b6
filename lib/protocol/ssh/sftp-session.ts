/**
 * ssh2's SFTP client as promises, with its status codes turned into sentences about the path
 * (no such directory, permission denied) that say what to change on the host.
 */
import type { InputAttributes, SFTPWrapper, Stats } from "ssh2";
import { AppError } from "@/lib/core/app-error";
import type { SshConnection } from "@/lib/protocol/ssh/connect";

/** SSH_FX_* status codes (draft-ietf-secsh-filexfer-02, what OpenSSH speaks). */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

/** What was being done, for the message: "write in", "replace", "change the owner of" … */
export type PathAction = "create a file in" | "write" | "replace" | "change the owner of" | "change the mode of" | "read";

export class SftpSession {
  constructor(
    private readonly sftp: SFTPWrapper,
    readonly label: string,
    readonly username: string,
  ) {}

  /** Opens SFTP on a connection ("Subsystem sftp" must be configured in sshd_config). */
  static open(connection: SshConnection): Promise<SftpSession> {
    return new Promise((resolve, reject) => {
      connection.client.sftp((error, sftp) => {
        if (error) {
          reject(
            new AppError(
              "deploy_failed",
              `${connection.label} does not offer SFTP: enable it in sshd_config ("Subsystem sftp internal-sftp" or the sftp-server path).`,
              {
                reason: "ssh_sftp",
                cause: error,
              },
            ),
          );
          return;
        }
        resolve(new SftpSession(sftp, connection.label, connection.endpoint.username));
      });
    });
  }

  end(): void {
    this.sftp.end();
  }

  /** Creates `path` exclusively (it must not exist) with `mode`, and returns the handle. */
  createExclusive(path: string, mode: number): Promise<Buffer> {
    return this.call("create a file in", path, (done) => this.sftp.open(path, "wx", { mode } satisfies InputAttributes, done));
  }

  fchmod(handle: Buffer, path: string, mode: number): Promise<void> {
    return this.call("change the mode of", path, (done) => this.sftp.fchmod(handle, mode, done));
  }

  async writeAll(handle: Buffer, path: string, content: Buffer): Promise<void> {
    const chunk = 32 * 1024;
    for (let offset = 0; offset < content.length; offset += chunk) {
      const length = Math.min(chunk, content.length - offset);
      await this.call("write", path, (done) => this.sftp.write(handle, content, offset, length, offset, done));
    }
  }

  /** fsync on the host when it offers the fsync@openssh.com extension (OpenSSH does). */
  async fsync(handle: Buffer, path: string): Promise<void> {
    try {
      await this.call("write", path, (done) => this.sftp.ext_openssh_fsync(handle, (error) => done(error)));
    } catch (error) {
      if (error instanceof Error && /does not support/i.test(error.message)) return;
      throw error;
    }
  }

  close(handle: Buffer, path: string): Promise<void> {
    return this.call("write", path, (done) => this.sftp.close(handle, done));
  }

  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.call("change the owner of", path, (done) => this.sftp.chown(path, uid, gid, done));
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.call("change the mode of", path, (done) => this.sftp.chmod(path, mode, done));
  }

  stat(path: string): Promise<Stats> {
    return this.call("read", path, (done) => this.sftp.stat(path, done));
  }

  /**
   * Renames `from` over `to` atomically with posix-rename@openssh.com. Servers without it only
   * have SFTP's rename, which refuses an existing target: then the target is removed first
   * (readers may miss the file for that moment).
   */
  async rename(from: string, to: string): Promise<void> {
    let hasPosixRename = true;
    try {
      await this.call("replace", to, (done) => this.sftp.ext_openssh_rename(from, to, done));
      return;
    } catch (error) {
      if (!(error instanceof Error && /does not support/i.test(error.message))) throw error;
      hasPosixRename = false;
    }
    if (!hasPosixRename) {
      await this.remove(to);
      await this.call("replace", to, (done) => this.sftp.rename(from, to, done));
    }
  }

  /** Removes a file; a missing one is fine. */
  async remove(path: string): Promise<void> {
    try {
      await this.call("replace", path, (done) => this.sftp.unlink(path, done));
    } catch (error) {
      if (error instanceof AppError && error.reason === "ssh_no_such_path") return;
      throw error;
    }
  }

  /** Wraps one callback-style call: its error becomes an AppError about `path`. */
  private call<T>(action: PathAction, path: string, start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        start((error, value) => (error ? reject(this.pathError(action, path, error)) : resolve(value as T)));
      } catch (error) {
        // ssh2 throws synchronously for an extension the server lacks.
        reject(error);
      }
    });
  }

  private pathError(action: PathAction, operationPath: string, error: Error & { code?: unknown }): AppError {
    // Messages name the file being installed, not its temporary name.
    const path = operationPath.replace(/(^|\/)\.([^/]+)\.certdeck-[0-9a-f]+\.tmp$/, "$1$2");
    const directory = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : "(the home directory)";
    const options = { cause: error, logMessage: `SFTP ${action} ${operationPath} on ${this.label}: ${error.message} (status ${String(error.code)})` };
    if (error.code === NO_SUCH_FILE) {
      const message =
        action === "create a file in"
          ? `The directory ${directory} does not exist on ${this.label}: create it first (mkdir -p ${directory}), or fix the path.`
          : `${path} does not exist on ${this.label}.`;
      return new AppError("deploy_failed", message, { ...options, reason: "ssh_no_such_path" });
    }
    if (error.code === PERMISSION_DENIED) {
      const target = action === "create a file in" ? directory : path;
      const hint =
        action === "change the owner of"
          ? "only root can give a file to another user (log in as root, or leave the owner empty)"
          : `give ${this.username} write access to ${directory}, or log in as a user who has it`;
      return new AppError("deploy_failed", `${this.username} may not ${action} ${target} on ${this.label} (permission denied): ${hint}.`, {
        ...options,
        reason: "ssh_permission_denied",
      });
    }
    if (/No response from server|Not connected/i.test(error.message)) {
      return new AppError("deploy_failed", `The connection to ${this.label} was lost while CertDeck tried to ${action} ${path}.`, {
        ...options,
        reason: "ssh_connection",
        isRetryable: true,
      });
    }
    return new AppError("deploy_failed", `Could not ${action} ${path} on ${this.label}: ${error.message}.`, { ...options, reason: "ssh_sftp" });
  }
}
