"use server";

import { isIP } from "node:net";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { getSetting, setSetting } from "@/lib/data/settings";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";
import { parseResolverList } from "@/lib/protocol/dns/dns-client";
import type { FormState } from "@/lib/web/form-state";

const FIELDS = ["dnsResolvers", "publicIPv4", "publicIPv6", "validationHttpPort"] as const;

/** "a, b" or "a b" → ["a", "b"] */
const splitList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function addressList(family: 4 | 6) {
  return z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .superRefine((text, context) => {
      for (const entry of splitList(text)) {
        if (isIP(entry) !== family) context.addIssue({ code: "custom", message: `"${entry}" is not an IPv${family} address` });
      }
    })
    .transform((text) => splitList(text).map((entry) => (family === 6 ? canonicalIPv6(entry) : entry)).join(", "));
}

const networkSettingsSchema = z.object({
  dnsResolvers: z
    .string()
    .trim()
    .max(500, "At most 500 characters")
    .superRefine((text, context) => {
      const parsed = parseResolverList(text);
      if (!parsed.ok) for (const message of parsed.errors) context.addIssue({ code: "custom", message });
    })
    .transform((text) => {
      const parsed = parseResolverList(text);
      return parsed.ok ? parsed.servers.join(", ") : text;
    }),
  publicIPv4: addressList(4),
  publicIPv6: addressList(6),
  validationHttpPort: z.coerce
    .number({ error: "Enter a port number" })
    .int("Enter a whole number")
    .min(1, "Ports go from 1 to 65535")
    .max(65535, "Ports go from 1 to 65535"),
});

/** What the pre-flight check uses to look at this host the way the CA does. */
export async function saveNetworkSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = Object.fromEntries(FIELDS.map((key) => [key, String(formData.get(key) ?? "")]));
  const parsed = networkSettingsSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const previous = await Promise.all(FIELDS.map((key) => getSetting(key)));
  await Promise.all([
    setSetting("dnsResolvers", parsed.data.dnsResolvers),
    setSetting("publicIPv4", parsed.data.publicIPv4),
    setSetting("publicIPv6", parsed.data.publicIPv6),
    setSetting("validationHttpPort", parsed.data.validationHttpPort),
  ]);
  const changed = FIELDS.filter((key, index) => parsed.data[key] !== previous[index]);
  if (changed.length > 0) {
    await recordAuditEvent({ actor: user.username, action: "settings.change", target: "Network", detail: { changed }, ip: await requestAddress() });
  }
  revalidatePath("/settings");
  return {
    savedAt: Date.now(),
    values: { ...parsed.data, validationHttpPort: String(parsed.data.validationHttpPort) },
  };
}
