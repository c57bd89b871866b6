import { notFound } from "next/navigation";
import { idSchema } from "@/lib/core/ids";

/**
 * The record a page's `[id]` segment names, read with `find`; Next's 404 page when the id is not
 * an id or names nothing.
 */
export async function findRouteRecord<T>(params: Promise<{ id: string }>, find: (id: string) => Promise<T | null>): Promise<T> {
  const id = idSchema.safeParse((await params).id);
  const record = id.success ? await find(id.data) : null;
  if (!record) notFound();
  return record;
}
