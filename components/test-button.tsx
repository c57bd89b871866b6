"use client";

import { PlugZap } from "lucide-react";
import { SubmitButton } from "@/components/submit-button";

/**
 * The small "Test" button of something set up to reach a server (a DNS provider, a deploy
 * target): posts its id as `idField` to `action` (a useActionState action that keeps the result).
 */
export function TestButton({ action, idField, id, name }: { action: (formData: FormData) => void; idField: string; id: string; name: string }) {
  return (
    <form action={action}>
      <input type="hidden" name={idField} value={id} />
      <SubmitButton variant="secondary" size="sm" pendingLabel="Testing…" aria-label={`Test ${name}`}>
        <PlugZap aria-hidden className="h-3.5 w-3.5" />
        Test
      </SubmitButton>
    </form>
  );
}
