"use client";

import { SaveForm } from "@/components/save-form";
import { saveNetworkSettingsAction } from "./actions";
import { SettingField } from "./settings-form";
import { SETTINGS_FORMS } from "./setting-fields";

export interface NetworkFormProps {
  saved: { dnsResolvers: string; publicIPv4: string; publicIPv6: string; validationHttpPort: number };
  /** What the network interfaces carry now, shown as the default. */
  detected: { ipv4: string[]; ipv6: string[] };
}

/** The shared hint below both address fields, plus the field's own errors. */
const describedBy = (id: string, errors?: string[]) => ["public-addresses-hint", errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");

const detectedText = (addresses: string[]) => (addresses.length > 0 ? addresses.join(", ") : "none");

/** The settings the pre-flight check uses to look at this host the way the CA does. */
export function NetworkForm({ saved, detected }: NetworkFormProps) {
  // Once either address is set, an empty one means "none" (lib/domain/preflight/host-addresses.ts).
  const isDetected = !saved.publicIPv4 && !saved.publicIPv6;
  const placeholder = (addresses: string[]) => (isDetected ? `detected: ${detectedText(addresses)}` : "none");
  const addresses = [
    { name: "publicIPv4", detected: detected.ipv4 },
    { name: "publicIPv6", detected: detected.ipv6 },
  ] as const;
  return (
    <SaveForm action={saveNetworkSettingsAction} saveLabel={SETTINGS_FORMS.network.saveLabel}>
      {(form) => (
        <>
          <SettingField name="dnsResolvers" form={form} saved={saved.dnsResolvers} />
          <div className="grid gap-4 sm:grid-cols-2">
            {addresses.map((address) => (
              <SettingField
                key={address.name}
                name={address.name}
                form={form}
                saved={saved[address.name]}
                placeholder={placeholder(address.detected)}
                aria-describedby={describedBy(address.name, form.errors[address.name])}
              />
            ))}
          </div>
          <p id="public-addresses-hint" className="-mt-2 text-xs text-zinc-500 dark:text-zinc-400">
            The addresses your DNS records should point at. Leave both empty to use the network interfaces&apos; (now IPv4 {detectedText(detected.ipv4)}, IPv6{" "}
            {detectedText(detected.ipv6)}). Behind NAT or a load balancer, enter the public ones; once either is filled in, an empty one means this host has
            none.
          </p>
          <SettingField name="validationHttpPort" form={form} saved={saved.validationHttpPort} />
        </>
      )}
    </SaveForm>
  );
}
