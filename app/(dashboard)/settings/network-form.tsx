"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { saveNetworkSettingsAction } from "./network-actions";

export interface NetworkFormProps {
  dnsResolvers: string;
  publicIPv4: string;
  publicIPv6: string;
  validationHttpPort: number;
  /** What the network interfaces carry now, shown as the default. */
  detected: { ipv4: string[]; ipv6: string[] };
}

/** The shared hint below both address fields, plus the field's own errors. */
const describedBy = (id: string, errors?: string[]) => ["public-addresses-hint", errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");

const detectedText = (addresses: string[]) => (addresses.length > 0 ? addresses.join(", ") : "none");

/** The settings the pre-flight check uses to look at this host the way the CA does. */
export function NetworkForm({ dnsResolvers, publicIPv4, publicIPv6, validationHttpPort, detected }: NetworkFormProps) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveNetworkSettingsAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values;
  // Once either address is set, an empty one means "none" (lib/domain/preflight/host-addresses.ts).
  const isDetected = !publicIPv4 && !publicIPv6;
  const placeholder = (addresses: string[]) => (isDetected ? `detected: ${detectedText(addresses)}` : "none");
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field
        id="dnsResolvers"
        label="DNS resolvers"
        hint="IP addresses, optionally with a port, separated by commas (1.1.1.1, 9.9.9.9:53). Empty: the system's resolver. A public resolver sees what the CA sees; a local one may know internal names."
        errors={errors.dnsResolvers}
      >
        <Input
          id="dnsResolvers"
          hasHint
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          placeholder="the system's resolver"
          className="font-mono"
          defaultValue={values?.dnsResolvers ?? dnsResolvers}
          errors={errors.dnsResolvers}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="publicIPv4" label="This host's public IPv4" errors={errors.publicIPv4}>
          <Input
            id="publicIPv4"
            aria-describedby={describedBy("publicIPv4", errors.publicIPv4)}
            spellCheck={false}
            autoComplete="off"
            placeholder={placeholder(detected.ipv4)}
            className="font-mono"
            defaultValue={values?.publicIPv4 ?? publicIPv4}
            errors={errors.publicIPv4}
          />
        </Field>
        <Field id="publicIPv6" label="This host's public IPv6" errors={errors.publicIPv6}>
          <Input
            id="publicIPv6"
            aria-describedby={describedBy("publicIPv6", errors.publicIPv6)}
            spellCheck={false}
            autoComplete="off"
            placeholder={placeholder(detected.ipv6)}
            className="font-mono"
            defaultValue={values?.publicIPv6 ?? publicIPv6}
            errors={errors.publicIPv6}
          />
        </Field>
      </div>
      <p id="public-addresses-hint" className="-mt-2 text-xs text-zinc-500 dark:text-zinc-400">
        The addresses your DNS records should point at. Leave both empty to use the network interfaces&apos; (now IPv4 {detectedText(detected.ipv4)},
        IPv6 {detectedText(detected.ipv6)}). Behind NAT or a load balancer, enter the public ones; once either is filled in, an empty one means
        this host has none.
      </p>
      <Field
        id="validationHttpPort"
        label="HTTP-01 port the CA connects to"
        hint="80 for every public CA. Only a test CA such as Pebble uses another."
        errors={errors.validationHttpPort}
      >
        <Input
          id="validationHttpPort"
          inputMode="numeric"
          hasHint
          className="max-w-32"
          defaultValue={values?.validationHttpPort ?? validationHttpPort}
          errors={errors.validationHttpPort}
        />
      </Field>
      <SaveBar label="Save network settings" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
