"use client";

import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldErrors, Input, Textarea } from "@/components/ui/form-field";
import { HOOK_PRESETS, RELOAD_NGINX_COMMAND, type HookPresetId, restartSystemdUnitCommand, validateUnitName } from "@/lib/domain/deploy/hook-presets";
import { DialogActions, Modal } from "@/components/ui/modal";

/**
 * A hook command textarea with preset buttons ("Reload nginx", "Restart a systemd unit…").
 * Shared by the global hook settings and the per-certificate renewal settings form.
 */
export function HookCommandField({
  id,
  label,
  hint,
  defaultValue,
  errors,
  placeholder = "none",
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  defaultValue: string;
  errors?: string[];
  placeholder?: string;
}) {
  const insert = (command: string) => {
    const textarea = document.getElementById(id);
    if (!(textarea instanceof HTMLTextAreaElement)) return;
    textarea.value = command;
    textarea.focus();
  };
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-end justify-between gap-x-3 gap-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          {label}
        </label>
        <div className="flex items-center gap-1">
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Insert:</span>
          <PresetButton presetId="reload-nginx" hookLabel={label} onClick={() => insert(RELOAD_NGINX_COMMAND)} />
          <RestartUnitButton hookLabel={label} onInsert={insert} />
        </div>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <Textarea id={id} rows={2} hasHint={Boolean(hint)} placeholder={placeholder} defaultValue={defaultValue} errors={errors} className="text-xs" />
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** One preset's button: its label, its description on hover, and which hook it is for to a screen reader. */
function PresetButton({ presetId, hookLabel, onClick }: { presetId: HookPresetId; hookLabel: string; onClick: () => void }) {
  const preset = HOOK_PRESETS[presetId];
  return (
    <Button type="button" variant="ghost" size="sm" title={preset.description} aria-label={`${preset.label} (${hookLabel})`} onClick={onClick}>
      {preset.label}
    </Button>
  );
}

/** Asks for the unit name in a small dialog, then inserts `systemctl restart <unit>`. */
function RestartUnitButton({ hookLabel, onInsert }: { hookLabel: string; onInsert: (command: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [unit, setUnit] = useState("");
  const [error, setError] = useState<string | undefined>();
  const inputId = useId();
  const titleId = useId();

  const confirm = () => {
    const result = validateUnitName(unit);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onInsert(restartSystemdUnitCommand(result.unit));
    dialog.current?.close();
  };

  return (
    <>
      <PresetButton
        presetId="restart-systemd-unit"
        hookLabel={hookLabel}
        onClick={() => {
          setError(undefined);
          dialog.current?.showModal();
        }}
      />
      {/* No <form> inside: this dialog sits inside the hook form, and forms cannot nest. */}
      <Modal dialogRef={dialog} titleId={titleId} title="Restart a systemd unit" size="sm">
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Inserts <code className="text-xs">systemctl restart &lt;unit&gt;</code> for the {hookLabel.toLowerCase()}.
        </p>
        <div className="mt-4 space-y-1.5">
          <label htmlFor={inputId} className="block text-sm font-medium">
            Unit name
          </label>
          <Input
            id={inputId}
            name=""
            value={unit}
            autoComplete="off"
            spellCheck={false}
            placeholder="haproxy.service"
            errors={error ? [error] : undefined}
            onChange={(event) => {
              setUnit(event.target.value);
              setError(undefined);
            }}
            onKeyDown={(event) => {
              if (event.key !== "Enter") return;
              event.preventDefault();
              confirm();
            }}
          />
          <FieldErrors id={`${inputId}-error`} errors={error ? [error] : undefined} />
        </div>
        <DialogActions dialogRef={dialog} className="mt-5">
          <Button type="button" onClick={confirm}>
            Insert command
          </Button>
        </DialogActions>
      </Modal>
    </>
  );
}
