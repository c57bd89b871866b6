"use client";

import { useState } from "react";
import { Field, Options, Select } from "@/components/ui/form-field";

/** A profile the CA advertises (directory meta.profiles), with its description. */
export interface ProfileChoice {
  name: string;
  description: string;
}

/**
 * The ACME profile select: "CA default" plus what the account's CA advertises. Renders nothing
 * when the CA advertises no profiles (nothing is sent then). `key` it by account so switching
 * accounts starts from the CA default.
 */
export function ProfileField({ profiles, defaultValue, errors }: { profiles: ProfileChoice[]; defaultValue?: string; errors?: string[] }) {
  const [selected, setSelected] = useState(defaultValue && profiles.some((profile) => profile.name === defaultValue) ? defaultValue : "");
  if (profiles.length === 0) return null;
  const description = profiles.find((profile) => profile.name === selected)?.description;
  return (
    <Field
      id="profile"
      label="Certificate profile"
      hint={
        <>
          {description ?? "The CA picks its usual profile."} Kept on renewal. IP addresses get <code>shortlived</code> automatically when you leave the CA
          default and the CA offers it.
        </>
      }
      errors={errors}
    >
      <Select id="profile" hasHint value={selected} onChange={(event) => setSelected(event.target.value)} errors={errors}>
        <option value="">CA default</option>
        <Options choices={profiles.map(({ name }) => ({ id: name, label: name }))} />
      </Select>
    </Field>
  );
}

/** "Keep the same private key on renewal", off by default (a fresh key each time is safer). */
export function ReuseKeyField({ defaultChecked }: { defaultChecked: boolean }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name="reuseKey" value="on" defaultChecked={defaultChecked} className="mt-0.5" />
      <span>
        Keep the same private key on renewal
        <span className="block text-xs text-zinc-500 dark:text-zinc-400">
          For key pinning: apps that pin the public key, or DANE TLSA “3 1 1” records. Otherwise leave it off: a fresh key with every renewal limits the damage
          of a leaked one.
        </span>
      </span>
    </label>
  );
}
