/**
 * Whether a write failed on a unique index (Prisma's P2002): the name or key is taken, often by a
 * concurrent request that committed first. Told by the error's code, which every Prisma client
 * error carries.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
