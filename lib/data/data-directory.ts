import { chmod, stat } from "node:fs/promises";

/**
 * The data directory holds the database (sessions, encrypted keys and secrets), the secret key
 * that decrypts them, and the setup code: owner only. A new one is created with mode 0700
 * (lib/data/migrate.ts); one that already existed (made by hand, by a package, by an older
 * version) may be wider, e.g. 0755: it is tightened to 0700 at start. Returns the mode found when
 * it was changed, null when it was already private; throws when it cannot be changed (the
 * caller logs it).
 */
export async function tightenDataDirectory(directory: string): Promise<{ previousMode: number } | null> {
  const mode = (await stat(directory)).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  await chmod(directory, 0o700);
  return { previousMode: mode };
}

/** "0755" */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}
