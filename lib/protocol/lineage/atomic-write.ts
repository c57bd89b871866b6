import { randomBytes } from "node:crypto";
import { open, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * part: write to a temporary file in the same directory, fsync, then rename over the target.
 * The mode is set at creation, so a private key is never readable by others, even briefly.
 */
export async function writeFileAtomic(target: string, content: string, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, target);
}

/** Points `linkPath` at `target` atomically (a new symlink renamed over the old one). */
export async function replaceSymlink(target: string, linkPath: string): Promise<void> {
  const temporary = path.join(path.dirname(linkPath), `.${path.basename(linkPath)}.${randomBytes(6).toString("hex")}.tmp`);
  await symlink(target, temporary);
  await rename(temporary, linkPath);
}
