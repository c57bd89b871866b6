import { z } from "zod";

const webrootPathsSchema = z.record(z.string(), z.string());

/** The per-name webroots stored on a certificate (JSON { name: path }); {} when none or unreadable. */
export function parseWebrootPaths(stored: string | null | undefined): Record<string, string> {
  if (!stored) return {};
  try {
    const parsed = webrootPathsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
