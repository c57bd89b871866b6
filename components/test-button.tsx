"use client";

import { PlugZap } from "lucide-react";
import { ActionButton } from "@/components/action-button";

/**
 * The small "Test" button of something set up to reach a server (a DNS provider, a deploy
 * target): posts its id as `idField` to `action` (a useActionState action that keeps the result).
 */
export function TestButton({ action, idField, id, name }: { action: (formData: FormData) => void; idField: string; id: string; name: string }) {
  return (
    <ActionButton action={action} fields={{ [idField]: id }} pendingLabel="Testing…" label={`Test ${name}`} icon={PlugZap}>
      Test
    </ActionButton>
  );
}
