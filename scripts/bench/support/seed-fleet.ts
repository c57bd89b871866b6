/**
 * A realistic certificate fleet written straight into the database (Prisma createMany in
 * transactions), for the dashboard benchmark: certificates with two names each, 1 to 4 versions
 * (a real PEM chain, the same one reused), one finished job per version with its step log, and
 * the mix a large fleet has: most valid and far from renewal, a few in their renewal window
 * failing and backing off, a few close to expiry, a few expired, ARI checks spread over 12 hours.
 */
import { randomBytes } from "node:crypto";
import type { db as Database } from "../../../lib/data/client";

type Db = typeof Database;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const BATCH = 500;

export interface FleetMaterial {
  accountId: string;
  /** A real certificate chain (leaf first) and the ciphertext of a real private key. */
  chainPem: string;
  privateKeyEnc: string;
  issuer: string;
  /** RFC 9773 CertID of the chain's leaf, stored on every version as issuance stores it. */
  ariCertId: string | null;
}

/** cuid-shaped ids (lower-case letters and digits, 25 characters), made here so rows can point at each other. */
function newId(): string {
  return `c${randomBytes(12).toString("hex")}`;
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

function fingerprint(): string {
  return randomHex(32).toUpperCase().match(/../g)!.join(":");
}

/** A deterministic spread in [0, 1) from an index, so runs seed the same fleet shape. */
function spread(index: number, salt: number): number {
  const x = Math.sin(index * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

type Kind = "valid" | "window-failing" | "expiring-failing" | "expired";

/** 0.5% in their renewal window and failing, 0.2% expiring within 7 days, 0.1% expired, the rest valid. */
function kindOf(index: number): Kind {
  const slot = index % 1000;
  if (slot < 1) return "expired";
  if (slot < 3) return "expiring-failing";
  if (slot < 8) return "window-failing";
  return "valid";
}

const STEPS = [
  ["start", "Started"],
  ["directory", "CA directory reachable"],
  ["preflight", "Pre-flight check: 6 passed, 0 warnings, 0 failed"],
  ["order", "Order created"],
  ["challenge", "http-01 answers published (served by CertDeck at /.well-known/acme-challenge/)"],
  ["challenge", "Asking the CA to validate"],
  ["key", "Generated a fresh ec-p256 private key"],
  ["finalize", "Order finalized (status: valid)"],
  ["download", "Certificate chain downloaded"],
  ["store", "Stored the new version"],
  ["files", "Files written"],
  ["done", "Certificate version is live"],
] as const;

/**
 * Adds certificates number `from` to `to - 1` (so a fleet can grow from 100 to 10,000 between
 * measurements). Returns how many rows of each kind were written.
 */
export async function seedFleet(db: Db, material: FleetMaterial, from: number, to: number, now = new Date()): Promise<Record<string, number>> {
  const written = { certificates: 0, versions: 0, jobs: 0, jobEvents: 0 };
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    const certificates = [];
    const versions = [];
    const jobs = [];
    const events = [];
    for (let index = start; index < end; index++) {
      const kind = kindOf(index);
      const id = newId();
      const name = `app-${String(index).padStart(5, "0")}.fleet${index % 37}.example.com`;
      const versionCount = 1 + (index % 4);
      // The current version's lifetime: 90 days, placed so the kind holds now.
      const currentNotBefore =
        kind === "valid"
          ? now.getTime() - spread(index, 1) * 55 * DAY_MS
          : kind === "window-failing"
            ? now.getTime() - (62 + spread(index, 2) * 10) * DAY_MS
            : kind === "expiring-failing"
              ? now.getTime() - (83 + spread(index, 3) * 6) * DAY_MS
              : now.getTime() - (91 + spread(index, 4) * 30) * DAY_MS;
      const isFailing = kind !== "valid";
      for (let version = 1; version <= versionCount; version++) {
        const notBefore = new Date(currentNotBefore - (versionCount - version) * 60 * DAY_MS);
        const versionId = newId();
        versions.push({
          id: versionId,
          certificateId: id,
          version,
          serial: randomHex(16),
          notBefore,
          notAfter: new Date(notBefore.getTime() + 90 * DAY_MS),
          issuer: material.issuer,
          fingerprintSha256: fingerprint(),
          chainPem: material.chainPem,
          privateKeyEnc: material.privateKeyEnc,
          ariCertId: material.ariCertId,
          deployStatus: "deployed",
          deployedAt: notBefore,
          createdAt: notBefore,
        });
        const jobId = newId();
        jobs.push({
          id: jobId,
          type: version === 1 ? "issue" : "renew",
          status: "succeeded",
          certificateId: id,
          attempts: 1,
          runAfter: notBefore,
          startedAt: notBefore,
          finishedAt: new Date(notBefore.getTime() + 900),
          createdAt: notBefore,
        });
        for (const [step, message] of STEPS) events.push({ jobId, step, message, at: notBefore });
      }
      if (isFailing) {
        const jobId = newId();
        const failedAt = new Date(now.getTime() - spread(index, 5) * 6 * HOUR_MS);
        const error = `${name}: the CA could not connect to this server (connection refused at 203.0.113.7:80). Check the firewall and that port 80 is forwarded.`;
        jobs.push({
          id: jobId,
          type: "renew",
          status: "failed",
          certificateId: id,
          attempts: 3,
          runAfter: failedAt,
          startedAt: failedAt,
          finishedAt: failedAt,
          createdAt: failedAt,
          error,
        });
        for (const [step, message] of STEPS.slice(0, 6)) events.push({ jobId, step, message, at: failedAt });
        events.push({ jobId, step: "challenge", message: error, at: failedAt, level: "error" });
        events.push({ jobId, step: "done", message: error, at: failedAt, level: "error" });
      }
      const notAfter = new Date(currentNotBefore + 90 * DAY_MS);
      certificates.push({
        id,
        name,
        identifiers: JSON.stringify([
          { type: "dns", value: name },
          { type: "dns", value: `www.${name}` },
        ]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        status: isFailing ? "failed" : "valid",
        accountId: material.accountId,
        notAfter,
        renewAfter: new Date(currentNotBefore + 60 * DAY_MS),
        renewReason: "lifetime",
        // Checked every 12 hours, spread evenly: about 14 of 10,000 come due each minute.
        ariNextCheckAt: new Date(now.getTime() + spread(index, 6) * 12 * HOUR_MS),
        consecutiveFailures: isFailing ? 3 : 0,
        retryNotBefore: isFailing ? new Date(now.getTime() + (1 + spread(index, 7) * 20) * HOUR_MS) : null,
        lastError: isFailing ? "The CA could not connect to this server (connection refused). Check the firewall and that port 80 is forwarded." : null,
        lastErrorCode: isFailing ? "connection" : null,
        lastErrorAt: isFailing ? new Date(now.getTime() - HOUR_MS) : null,
        createdAt: new Date(currentNotBefore - (versionCount - 1) * 60 * DAY_MS),
      });
    }
    await db.$transaction([
      db.certificate.createMany({ data: certificates }),
      db.certificateVersion.createMany({ data: versions }),
      db.job.createMany({ data: jobs }),
      db.jobEvent.createMany({ data: events }),
    ]);
    written.certificates += certificates.length;
    written.versions += versions.length;
    written.jobs += jobs.length;
    written.jobEvents += events.length;
  }
  // Each certificate's current version is its newest one.
  await db.$executeRawUnsafe(
    `UPDATE "Certificate" SET "currentVersionId" = (SELECT v."id" FROM "CertificateVersion" v WHERE v."certificateId" = "Certificate"."id" ORDER BY v."version" DESC LIMIT 1) WHERE "currentVersionId" IS NULL`,
  );
  return written;
}
