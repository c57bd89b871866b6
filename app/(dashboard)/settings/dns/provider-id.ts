import { z } from "zod";

/** A DnsProvider id (cuid) from a URL or a form. */
export const dnsProviderIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+$/i);
