/** One Deployment row of a puller: what its agent reported for a version. */
export interface PullerDeployment {
  version: number;
  /** installed or failed from a report; other statuses (pending …) are not the agent's word. */
  status: string;
  error: string | null;
  finishedAt: Date | null;
}

export interface PullerStatus {
  /** The newest version the agent reported installed (null: none yet). */
  installedVersion: number | null;
  installedAt: Date | null;
  /** The latest report, installed or failed. */
  lastReport: PullerDeployment | null;
  /** The certificate has a newer version than the one installed (or none is installed yet). */
  isBehind: boolean;
}

/** What the certificate page says about a puller, from its reports and the current version. Pure. */
export function summarizePuller(deployments: PullerDeployment[], currentVersion: number | null): PullerStatus {
  const reports = deployments.filter((deployment) => (deployment.status === "installed" || deployment.status === "failed") && deployment.finishedAt);
  const installed = reports.filter((report) => report.status === "installed").sort((a, b) => b.version - a.version)[0] ?? null;
  const lastReport = [...reports].sort((a, b) => b.finishedAt!.getTime() - a.finishedAt!.getTime() || b.version - a.version)[0] ?? null;
  return {
    installedVersion: installed?.version ?? null,
    installedAt: installed?.finishedAt ?? null,
    lastReport,
    isBehind: currentVersion !== null && (installed?.version ?? 0) < currentVersion,
  };
}
