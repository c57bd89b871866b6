/**
 * A real OpenSSH server (Debian `openssh-server`) on 127.0.0.1 for the SSH deploy tests: its own
 * sshd_config, host key, authorized_keys, pid file and log in `workDir`, public-key logins only,
 * SFTP through internal-sftp, or through a logging sftp-server so that tests can see with which
 * mode files were created. The system's sshd (port 22, /etc/ssh) is not touched.
 *
 * - Logins: root (the user the tests run as) and, when useradd works, a throwaway unprivileged
 *   user ("cdssh…") with its own group, for owner/group and permission tests. Both accept the
 *   throwaway client key (`clientKey`); `authorize` adds more keys.
 * - `restart({ newHostKey: true })` comes back on the same port with a different host key, as a
 *   reinstalled server does.
 * - Host key fingerprints come from `ssh-keygen -lf`, independent of CertDeck's own code.
 *
 * sshd only switches to the logging-in user when it runs as root, and useradd needs root too:
 * as any other user this refuses to start with a message saying so. Node built-ins plus
 * /usr/sbin/sshd and ssh-keygen.
 */
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants as fsConstants, existsSync } from "node:fs";
import { appendFile, chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { startDaemon, type Daemon } from "./daemon";
import { findFreePort } from "./pebble-testbed";

const execFileAsync = promisify(execFile);
const SSHD = "/usr/sbin/sshd";
const SSH_KEYGEN = "/usr/bin/ssh-keygen";
const SFTP_SERVER = "/usr/lib/openssh/sftp-server";
const NOT_INSTALLED = 'OpenSSH is not installed: run "apt-get install -y openssh-server openssh-client" as root';

export type SshKeyType = "ed25519" | "ecdsa" | "rsa";

export interface SshdTestbedOptions {
  /** Directory for the config, keys, the log and the test user's home; created if missing. */
  workDir: string;
  /** The host key's type; default ed25519. */
  hostKeyType?: SshKeyType;
  /** Create the unprivileged test user (default true). */
  createUser?: boolean;
  /**
   * "internal" (default): `Subsystem sftp internal-sftp`. "logged": OpenSSH's sftp-server binary
   * (the same code, run as a program) logging every request at INFO to `sftpLogPath`, so a test
   * can see with which mode a file was created and in which order modes and writes came.
   */
  sftp?: "internal" | "logged";
  /** Readiness deadline in milliseconds; default 5 000. */
  startTimeoutMs?: number;
}

export interface KeyFiles {
  /** The private key file's text (OpenSSH format unless made with pem: true). */
  privateKey: string;
  /** The authorized_keys line. */
  publicKey: string;
  /** As `ssh-keygen -lf` prints it: "SHA256:…". */
  fingerprint: string;
  path: string;
}

export interface TestUser {
  name: string;
  uid: number;
  /** Its own group, named like the user. */
  group: string;
  gid: number;
  home: string;
}

export interface SshdTestbed {
  host: "127.0.0.1";
  port: number;
  workDir: string;
  /** The user the tests run as, and may log in as: "root". */
  rootUser: string;
  /** A throwaway key pair (ed25519) both users accept. */
  clientKey: KeyFiles;
  /** The current host key; changes with restart({ newHostKey: true }). */
  hostKey: { fingerprint: string; type: string; path: string };
  /** The unprivileged user, or null (then `userProblem` says why). */
  user: TestUser | null;
  userProblem: string | null;
  logPath: string;
  /** With sftp: "logged": sftp-server's log (open flags and modes, setstat, close with bytes written). */
  sftpLogPath: string;
  /** Adds a public key line to the authorized_keys file every user shares. */
  authorize(publicKey: string): Promise<void>;
  /** The log's size now, to read only what comes after with readLog(from). */
  logSize(): Promise<number>;
  readLog(fromByte?: number): Promise<string>;
  /** Stops sshd and starts it again on the same port; with newHostKey, with a freshly made host key. */
  restart(options?: { newHostKey?: boolean; hostKeyType?: SshKeyType }): Promise<void>;
  /** Stops sshd and removes the test user. Idempotent. */
  stop(): Promise<void>;
}

function assertRoot(): void {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    const name = (() => {
      try {
        return os.userInfo().username;
      } catch {
        return "?";
      }
    })();
    throw new Error(
      `The sshd testbed must run as root (uid 0), but this process runs as uid ${uid} (${name}): sshd can only log users in when started by root, ` +
        "and the owner tests create a user with useradd. Run the SSH tests as root.",
    );
  }
}

function assertInstalled(file: string): void {
  try {
    accessSync(file, fsConstants.X_OK);
  } catch {
    throw new Error(NOT_INSTALLED);
  }
}

/** Makes a key pair with ssh-keygen (no passphrase); `pem` writes RSA/ECDSA keys in the old PEM format. */
export async function generateKeyWithSshKeygen(file: string, type: SshKeyType, options: { pem?: boolean; comment?: string } = {}): Promise<KeyFiles> {
  assertInstalled(SSH_KEYGEN);
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  const args = ["-q", "-t", type, "-N", "", "-C", options.comment ?? "certdeck-testbed", "-f", file];
  if (type === "rsa") args.push("-b", "2048");
  if (options.pem) args.push("-m", "PEM");
  await execFileAsync(SSH_KEYGEN, args);
  return {
    privateKey: await readFile(file, "utf8"),
    publicKey: (await readFile(`${file}.pub`, "utf8")).trim(),
    fingerprint: await fingerprintOf(`${file}.pub`),
    path: file,
  };
}

/** The SHA256 fingerprint `ssh-keygen -lf` prints for a public key file. */
export async function fingerprintOf(publicKeyFile: string): Promise<string> {
  const { stdout } = await execFileAsync(SSH_KEYGEN, ["-l", "-E", "sha256", "-f", publicKeyFile]);
  const fingerprint = stdout.trim().split(/\s+/)[1] ?? "";
  if (!fingerprint.startsWith("SHA256:")) throw new Error(`ssh-keygen -lf ${publicKeyFile} printed no SHA256 fingerprint: ${stdout}`);
  return fingerprint;
}

const SSH_TYPE_NAMES: Record<SshKeyType, string> = { ed25519: "ssh-ed25519", ecdsa: "ecdsa-sha2-nistp256", rsa: "ssh-rsa" };

function sshdConfig(dir: string, port: number, hostKeyPath: string, users: string[], sftpSubsystem: string): string {
  return [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKeyPath}`,
    `PidFile ${path.join(dir, "sshd.pid")}`,
    `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
    "UsePAM no",
    "StrictModes no",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    `AllowUsers ${users.join(" ")}`,
    "UseDNS no",
    "PrintMotd no",
    "X11Forwarding no",
    "MaxStartups 50:30:100",
    `Subsystem sftp ${sftpSubsystem}`,
    "LogLevel VERBOSE",
    "",
  ].join("\n");
}

/** Waits for the "SSH-2.0-" banner on the port. */
function readBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let data = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\n")) done(data.startsWith("SSH-2.0-"));
    });
    socket.on("error", () => done(false));
    socket.on("close", () => done(data.startsWith("SSH-2.0-")));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the unprivileged user with useradd, or says why not. */
async function createTestUser(dir: string): Promise<{ user: TestUser | null; problem: string | null }> {
  const name = `cdssh${randomBytes(3).toString("hex")}`;
  const home = path.join(dir, "home", name);
  try {
    // -p '*': no password, yet not a "locked" account (sshd without PAM refuses locked ones).
    await execFileAsync("useradd", ["-M", "-d", home, "-s", "/bin/sh", "-U", "-p", "*", name]);
  } catch (error) {
    return { user: null, problem: `useradd ${name} failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}` };
  }
  const { stdout: uid } = await execFileAsync("id", ["-u", name]);
  const { stdout: gid } = await execFileAsync("id", ["-g", name]);
  await mkdir(home, { recursive: true });
  await chown(home, Number(uid), Number(gid));
  return { user: { name, uid: Number(uid), group: name, gid: Number(gid), home }, problem: null };
}

export async function startSshdTestbed(options: SshdTestbedOptions): Promise<SshdTestbed> {
  assertRoot();
  assertInstalled(SSHD);
  assertInstalled(SSH_KEYGEN);
  const dir = path.resolve(options.workDir);
  await mkdir(dir, { recursive: true });
  // The unprivileged user reads authorized_keys and reaches its home in here.
  await chmod(dir, 0o755);
  // sshd's privilege separation directory; Debian's systemd unit creates it, a container may lack it.
  if (!existsSync("/run/sshd")) await mkdir("/run/sshd", { mode: 0o755, recursive: true });

  const clientKey = await generateKeyWithSshKeygen(path.join(dir, "client_ed25519"), "ed25519");
  const authorizedKeys = path.join(dir, "authorized_keys");
  await writeFile(authorizedKeys, `${clientKey.publicKey}\n`, { mode: 0o644 });

  const { user, problem } = options.createUser === false ? { user: null, problem: "not requested" } : await createTestUser(dir);
  let sshd: Daemon | null = null;
  const onProcessExit = () => {
    if (user) spawnSync("userdel", ["-f", user.name]);
  };
  process.on("exit", onProcessExit);

  let generation = 0;
  const makeHostKey = async (type: SshKeyType) => {
    generation += 1;
    const file = path.join(dir, `host_${generation}_${type}_key`);
    const files = await generateKeyWithSshKeygen(file, type, { comment: `testbed-host-${generation}` });
    await chmod(file, 0o600);
    return { fingerprint: files.fingerprint, type: SSH_TYPE_NAMES[type], path: file };
  };
  let hostKey = await makeHostKey(options.hostKeyType ?? "ed25519");
  const port = await findFreePort();
  const logPath = path.join(dir, "sshd.log");
  const confPath = path.join(dir, "sshd_config");
  const users = ["root", ...(user ? [user.name] : [])];
  const sftpLogPath = path.join(dir, "sftp.log");
  let sftpSubsystem = "internal-sftp";
  if (options.sftp === "logged") {
    assertInstalled(SFTP_SERVER);
    // Every user appends to the one log; -e: log to stderr instead of syslog (there may be none).
    await writeFile(sftpLogPath, "", { mode: 0o666 });
    await chmod(sftpLogPath, 0o666);
    sftpSubsystem = path.join(dir, "sftp-server-logged");
    await writeFile(sftpSubsystem, `#!/bin/sh\nexec ${SFTP_SERVER} -e -l INFO 2>>${sftpLogPath}\n`, { mode: 0o755 });
  }

  const startSshd = async () => {
    await writeFile(confPath, sshdConfig(dir, port, hostKey.path, users, sftpSubsystem));
    try {
      await execFileAsync(SSHD, ["-t", "-f", confPath]);
    } catch (error) {
      throw new Error(`sshd -t rejected the testbed's sshd_config: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`);
    }
    // -D: stay in the foreground; -e: log to stderr (the log file).
    const current = startDaemon(SSHD, ["-D", "-E", logPath, "-f", confPath], { logPath });
    sshd = current;
    const deadline = Date.now() + (options.startTimeoutMs ?? 5000);
    while (!current.hasExited && Date.now() < deadline) {
      if (await readBanner(port)) return;
      await sleep(25);
    }
    await stopSshd();
    const log = await readFile(logPath, "utf8").catch(() => "(no log)");
    throw new Error(`sshd testbed failed to start on 127.0.0.1:${port}\n--- ${logPath} ---\n${log.slice(-4000)}`);
  };

  const stopSshd = async () => {
    await sshd?.stop();
  };

  try {
    await startSshd();
  } catch (error) {
    process.removeListener("exit", onProcessExit);
    if (user) spawnSync("userdel", ["-f", user.name]);
    throw error;
  }

  let stopped: Promise<void> | null = null;
  const testbed: SshdTestbed = {
    host: "127.0.0.1",
    port,
    workDir: dir,
    rootUser: "root",
    clientKey,
    hostKey,
    user,
    userProblem: problem,
    logPath,
    sftpLogPath,
    authorize: (publicKey) => appendFile(authorizedKeys, `${publicKey.trim()}\n`),
    logSize: async () => (await stat(logPath).catch(() => ({ size: 0 }))).size,
    async readLog(fromByte = 0) {
      const all = await readFile(logPath).catch(() => Buffer.alloc(0));
      return all.subarray(fromByte).toString("utf8");
    },
    async restart(restartOptions = {}) {
      await stopSshd();
      if (restartOptions.newHostKey || restartOptions.hostKeyType) {
        hostKey = await makeHostKey(restartOptions.hostKeyType ?? "ed25519");
        testbed.hostKey = hostKey;
      }
      await startSshd();
    },
    stop: () =>
      (stopped ??= (async () => {
        await stopSshd();
        process.removeListener("exit", onProcessExit);
        if (user) {
          await execFileAsync("userdel", ["-f", user.name]).catch(() => undefined);
          await rm(path.join(dir, "home"), { recursive: true, force: true });
        }
      })()),
  };
  return testbed;
}
