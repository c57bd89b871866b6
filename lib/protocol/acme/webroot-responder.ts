import { chmod, mkdir, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Http01Responder } from "@/lib/protocol/acme/http-01";
import { AppError } from "@/lib/core/app-error";

/** RFC 8555 §8.3: a token is base64url, so it can never name another path. */
const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * HTTP-01 answered by files in a directory an existing web server already serves, like
 * certbot --webroot: publish writes <webroot>/.well-known/acme-challenge/<token> (mode 0644, the
 * directories 0755 so the web server can read them), close removes the files it wrote and the
 * directories it created when they are empty again. Nothing is written outside that directory.
 */
export function createWebrootResponder(webrootPath: string): Http01Responder {
  const webroot = path.resolve(/*turbopackIgnore: true*/ webrootPath);
  const challengeDir = path.join(webroot, ".well-known", "acme-challenge");
  const writtenFiles = new Set<string>();
  const createdDirs: string[] = [];

  async function ensureDirectories(): Promise<void> {
    const info = await stat(webroot).catch((error: NodeJS.ErrnoException) => {
      throw describeWebrootError(error, webroot, webroot);
    });
    if (!info.isDirectory()) {
      throw new AppError("challenge_failed", `The webroot ${webroot} is not a directory. Set the directory your web server serves for these names.`);
    }
    for (const dir of [path.join(webroot, ".well-known"), challengeDir]) {
      try {
        await mkdir(dir, { mode: 0o755 });
        createdDirs.push(dir);
        await chmod(dir, 0o755); // the umask may have taken read or search rights away
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw describeWebrootError(error as NodeJS.ErrnoException, webroot, dir);
      }
    }
  }

  return {
    description: `files in ${challengeDir}`,
    async publish(token, keyAuthorization) {
      if (!TOKEN.test(token)) {
        throw new AppError("challenge_failed", "The CA sent a challenge token that is not base64url text, so it was not written to the webroot.");
      }
      await ensureDirectories();
      const file = path.join(challengeDir, token);
      writtenFiles.add(file);
      try {
        await writeFile(file, keyAuthorization, { mode: 0o644 });
        await chmod(file, 0o644);
      } catch (error) {
        throw describeWebrootError(error as NodeJS.ErrnoException, webroot, file);
      }
    },
    async close() {
      for (const file of writtenFiles) await rm(file, { force: true }).catch(() => undefined);
      writtenFiles.clear();
      // Deepest first; a directory something else has put files in stays.
      for (const dir of createdDirs.splice(0).reverse()) await rmdir(dir).catch(() => undefined);
    },
  };
}

function describeWebrootError(error: NodeJS.ErrnoException, webroot: string, target: string): AppError {
  switch (error.code) {
    case "ENOENT":
      return new AppError("challenge_failed", `The webroot ${webroot} does not exist. Set the directory your web server serves for these names (its "root").`, {
        cause: error,
      });
    case "EACCES":
    case "EPERM":
      return new AppError(
        "challenge_failed",
        `CertDeck may not write to ${target} (permission denied). Give the user CertDeck runs as write access to ${path.join(webroot, ".well-known", "acme-challenge")}, or run CertDeck as root.`,
        { cause: error },
      );
    case "EROFS":
      return new AppError("challenge_failed", `The webroot ${webroot} is on a read-only file system, so the challenge file cannot be written there.`, {
        cause: error,
      });
    case "ENOTDIR":
      return new AppError("challenge_failed", `${target} is in the way: a file stands where CertDeck needs a directory under the webroot ${webroot}.`, {
        cause: error,
      });
    case "ENOSPC":
      return new AppError("challenge_failed", `The disk holding the webroot ${webroot} is full.`, { cause: error, isRetryable: true });
    default:
      return new AppError("challenge_failed", `The challenge file could not be written to ${target} (${error.code ?? error.message}).`, { cause: error });
  }
}
