/**
 * How every benchmark reports: a compact table on stdout (machine, date, versions, figures,
 * targets, "reached" or "gap"), and the same facts as JSON in bench-results/<name>.json for the
 * README. Figure rows start with "| " so they can be pasted into Markdown as they are.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describeMachine, describeVersions, projectRoot, type MachineFacts, type Versions } from "./machine";

export type Verdict = "reached" | "gap" | "not measured";

export interface Figure {
  label: string;
  /** Shown as it is ("812 ms", "0.031×"). */
  value: string;
  target?: string;
  verdict?: Verdict;
}

export interface BenchmarkReport {
  name: string;
  title: string;
  /** Settings the figures depend on (sizes, concurrency, runs). */
  settings: Record<string, string | number | boolean>;
  figures: Figure[];
  /** Raw numbers for the JSON file (every run, medians, ratios). */
  data: Record<string, unknown>;
  notes?: string[];
}

export function verdict(isMeasured: boolean, isReached: boolean): Verdict {
  if (!isMeasured) return "not measured";
  return isReached ? "reached" : "gap";
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.slice(1).map(line)];
}

function describeVersionLine(versions: Versions): string {
  const peers = [
    versions.pebble ? `Pebble ${versions.pebble}` : "Pebble not installed",
    versions.certbot ? `certbot ${versions.certbot}` : "certbot not installed",
    versions.lego ? `lego ${versions.lego}` : "lego not installed",
  ];
  return `CertDeck ${versions.certdeck} · Next ${versions.next} · Prisma ${versions.prisma} · acme-client ${versions.acmeClient} · ${peers.join(" · ")}`;
}

function describeMachineLine(machine: MachineFacts): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os} (Linux ${machine.kernel}), Node ${machine.node}`;
}

/**
 * Prints the report and writes its JSON to `outputPath` (default bench-results/<name>.json;
 * "none" writes nothing). Returns the path written, if any.
 */
export async function publishReport(report: BenchmarkReport, outputPath: string): Promise<string | null> {
  const machine = describeMachine();
  const versions = describeVersions();
  const date = new Date();
  const lines = [
    "",
    `== ${report.title} ==`,
    `Machine:  ${describeMachineLine(machine)}`,
    `Date:     ${date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    `Versions: ${describeVersionLine(versions)}`,
    `Settings: ${Object.entries(report.settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}`,
    "",
    ...table([
      ["Figure", "Value", "Target", "Result"],
      ...report.figures.map((figure) => [figure.label, figure.value, figure.target ?? "", figure.verdict ?? ""]),
    ]),
    ...(report.notes && report.notes.length > 0 ? ["", ...report.notes.map((note) => `Note: ${note}`)] : []),
    "",
  ];
  console.log(lines.join("\n"));
  if (outputPath === "none") return null;
  const file = path.resolve(projectRoot, outputPath);
  await mkdir(path.dirname(file), { recursive: true });
  const json = {
    benchmark: report.name,
    title: report.title,
    date: date.toISOString(),
    machine,
    versions,
    settings: report.settings,
    figures: report.figures,
    data: report.data,
    notes: report.notes ?? [],
  };
  await writeFile(file, JSON.stringify(json, null, 2) + "\n");
  console.log(`Results written to ${path.relative(process.cwd(), file) || file}`);
  return file;
}

export function defaultOutputPath(name: string): string {
  return path.join("bench-results", `${name}.json`);
}
