/** What a benchmark ran on: CPU, cores, RAM, OS, and the versions of everything measured. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface MachineFacts {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  kernel: string;
  node: string;
}

export interface Versions {
  certdeck: string;
  next: string;
  prisma: string;
  acmeClient: string;
  pebble: string | null;
  certbot: string | null;
  lego: string | null;
}

export const projectRoot = path.resolve(import.meta.dirname, "..", "..", "..");

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

export function describeMachine(): MachineFacts {
  const cpuinfo = readText("/proc/cpuinfo") ?? "";
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown CPU";
  const memTotalKiB = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readText("/proc/meminfo") ?? "")?.[1] ?? os.totalmem() / 1024);
  const osRelease = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readText("/etc/os-release") ?? "")?.[1] ?? `${os.type()} ${os.release()}`;
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGiB: Math.round((memTotalKiB / 1024 / 1024) * 10) / 10,
    os: osRelease,
    kernel: os.release(),
    node: process.version,
  };
}

function packageVersion(name: string): string {
  const manifest = readText(path.join(projectRoot, "node_modules", name, "package.json"));
  return manifest ? (JSON.parse(manifest) as { version: string }).version : "not installed";
}

/** Debian package version ("2.1.0"), without the Debian revision; null when not installed. */
export function debianPackageVersion(name: string): string | null {
  try {
    const version = execFileSync("dpkg-query", ["-W", "-f=${Version}", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return version ? (/^(?:\d+:)?([0-9][0-9.]*)/.exec(version)?.[1] ?? version) : null;
  } catch {
    return null;
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function describeVersions(): Versions {
  const manifest = JSON.parse(readText(path.join(projectRoot, "package.json")) ?? "{}") as { version?: string };
  const commit = gitCommit();
  return {
    certdeck: `${manifest.version ?? "?"}${commit ? ` (${commit})` : ""}`,
    next: packageVersion("next"),
    prisma: packageVersion("prisma"),
    acmeClient: packageVersion("acme-client"),
    pebble: debianPackageVersion("pebble"),
    certbot: debianPackageVersion("certbot"),
    lego: debianPackageVersion("lego"),
  };
}
