import { db } from "@/lib/data/client";

/** Whether the database answers a trivial query (the public health check). */
export async function isDatabaseReachable(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
