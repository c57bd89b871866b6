/**
 * Command-line flags of the benchmarks: `--name value`, `--name=value` and bare `--switch`.
 * Unknown flags stop the run with the list of known ones, so a typo never measures the default.
 */
export interface FlagSpec {
  /** Flags that take a value, with their defaults and a one-line help. */
  values: Record<string, { default: string; help: string }>;
  /** Flags without a value. */
  switches: Record<string, string>;
}

export interface ParsedFlags {
  value(name: string): string;
  integer(name: string, options?: { min?: number }): number;
  integers(name: string): number[];
  isSet(name: string): boolean;
  /** True when a value flag was given on the command line (not left at its default). */
  wasGiven(name: string): boolean;
}

export function parseFlags(command: string, spec: FlagSpec, argv = process.argv.slice(2)): ParsedFlags {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const usage = () =>
    [
      `Usage: ${command} [flags]`,
      ...Object.entries(spec.values).map(([name, { default: fallback, help }]) => `  --${name} <value>  ${help}${fallback ? ` (default: ${fallback})` : ""}`),
      ...Object.entries(spec.switches).map(([name, help]) => `  --${name}  ${help}`),
    ].join("\n");
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === "--help" || argument === "-h") {
      console.log(usage());
      process.exit(0);
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argument);
    if (!match) fail(`Unexpected argument "${argument}".\n${usage()}`);
    const [, name, inline] = match;
    if (name in spec.switches && inline === undefined) {
      switches.add(name);
    } else if (name in spec.values) {
      const value = inline ?? argv[++index];
      if (value === undefined) fail(`--${name} needs a value.\n${usage()}`);
      values.set(name, value);
    } else {
      fail(`Unknown flag --${name}.\n${usage()}`);
    }
  }
  const value = (name: string) => values.get(name) ?? spec.values[name].default;
  return {
    value,
    integer(name, { min = 0 } = {}) {
      const parsed = Number(value(name));
      if (!Number.isInteger(parsed) || parsed < min) fail(`--${name} must be a whole number of at least ${min}, not "${value(name)}"`);
      return parsed;
    },
    integers(name) {
      const parsed = value(name)
        .split(",")
        .map((part) => Number(part.trim()));
      if (parsed.length === 0 || parsed.some((number) => !Number.isInteger(number) || number < 1)) {
        fail(`--${name} must be a comma-separated list of whole numbers, not "${value(name)}"`);
      }
      return parsed;
    },
    isSet: (name) => switches.has(name),
    wasGiven: (name) => values.has(name),
  };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
