import { FieldErrors } from "@/components/ui/form-field";

/** One scope a new token may get: what it allows, in a line. */
export interface ScopeOption {
  id: string;
  label: string;
  description: string;
}

/**
 * The radio buttons choosing a new token's scope (an API token, a puller's token), posted as
 * "scope". With `onSelect` the choice is controlled (the form reacts to it); without, `selected`
 * is only where it starts.
 */
export function ScopeFieldset({
  legend,
  scopes,
  selected,
  onSelect,
  errors,
}: {
  legend: string;
  scopes: ScopeOption[];
  selected: string;
  onSelect?: (scope: string) => void;
  errors?: string[];
}) {
  return (
    <fieldset>
      <legend className="mb-1.5 block text-sm font-medium">{legend}</legend>
      <div className="space-y-2">
        {scopes.map((scope) => (
          <label key={scope.id} className="flex cursor-pointer items-start gap-2.5 text-sm">
            <input
              type="radio"
              name="scope"
              value={scope.id}
              {...(onSelect ? { checked: selected === scope.id, onChange: () => onSelect(scope.id) } : { defaultChecked: selected === scope.id })}
              className="mt-0.5"
            />
            <span>
              <span className="font-medium">{scope.label}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{scope.description}</span>
            </span>
          </label>
        ))}
      </div>
      <FieldErrors id="scope-error" errors={errors} />
    </fieldset>
  );
}
