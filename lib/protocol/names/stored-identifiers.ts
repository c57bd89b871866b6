import { z } from "zod";
import type { Identifier } from "@/lib/protocol/names/names";

const storedIdentifiers = z.array(z.object({ type: z.enum(["dns", "ip"]), value: z.string(), unicode: z.string().optional() }));

/** Certificate.identifiers is a JSON column; this is the only place that reads it. */
export function parseStoredIdentifiers(json: string): Identifier[] {
  return storedIdentifiers.parse(JSON.parse(json));
}

export function serializeIdentifiers(identifiers: Identifier[]): string {
  return JSON.stringify(identifiers.map(({ type, value, unicode }) => (unicode ? { type, value, unicode } : { type, value })));
}
