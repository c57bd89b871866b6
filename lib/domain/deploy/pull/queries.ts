import "server-only";
import { db } from "@/lib/data/client";
import { parsePullConfig, type PullScope } from "@/lib/domain/deploy/pull/pull-protocol";
import { summarizePuller, type PullerStatus } from "@/lib/domain/deploy/pull/puller-status";

export interface PullerRow extends PullerStatus {
  id: string;
  name: string;
  /** null when the stored config is broken (the puller may then read nothing). */
  scope: PullScope | null;
  reloadHint: string | null;
  tokenPrefix: string | null;
  createdAt: Date;
  /** The agent's last request (a 304 included), and from where. */
  lastSeenAt: Date | null;
  lastSeenAddress: string | null;
}

/** A certificate's pullers, oldest first, with what each installed and whether it is behind. Never the token hash. */
export async function listPullers(certificateId: string): Promise<{ currentVersion: number | null; pullers: PullerRow[] }> {
  const [certificate, targets] = await Promise.all([
    db.certificate.findUnique({ where: { id: certificateId }, select: { currentVersion: { select: { version: true } } } }),
    db.deployTarget.findMany({
      where: { type: "pull", certificates: { some: { certificateId } } },
      orderBy: [{ createdAt: "asc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        config: true,
        tokenPrefix: true,
        createdAt: true,
        lastSeenAt: true,
        lastSeenAddress: true,
        deployments: {
          where: { status: { in: ["installed", "failed"] }, version: { certificateId } },
          select: { status: true, error: true, finishedAt: true, version: { select: { version: true } } },
        },
      },
    }),
  ]);
  const currentVersion = certificate?.currentVersion?.version ?? null;
  const pullers = targets.map((target): PullerRow => {
    const config = parsePullConfig(target.config);
    const deployments = target.deployments.map((deployment) => ({ ...deployment, version: deployment.version.version }));
    return {
      id: target.id,
      name: target.name,
      scope: config?.scope ?? null,
      reloadHint: config?.reloadHint ?? null,
      tokenPrefix: target.tokenPrefix,
      createdAt: target.createdAt,
      lastSeenAt: target.lastSeenAt,
      lastSeenAddress: target.lastSeenAddress,
      ...summarizePuller(deployments, currentVersion),
    };
  });
  return { currentVersion, pullers };
}
