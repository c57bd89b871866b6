import "server-only";
import type { SavedDeployTarget } from "@/lib/domain/deploy/targets/manage-targets";
import { findDeployTargetRecord, getCertificateDeployTargets } from "@/lib/domain/deploy/targets/queries";
import { apiJson, notFound } from "@/lib/web/api/api-route";
import { toCertificateDeployTargetsResource, toDeployTargetResource } from "@/lib/web/api/resources";

/** The target as GET /deploy-targets/{id} answers it, or 404. */
export async function deployTargetResource(id: string) {
  const record = await findDeployTargetRecord(id);
  if (!record) throw notFound("deploy target", id);
  return toDeployTargetResource(record);
}

/** A target just added (201, with its location) or changed, with the public key line of a key generated now. */
export async function savedDeployTargetResponse({ id, generatedPublicKey }: SavedDeployTarget, status: 200 | 201 = 200): Promise<Response> {
  const body = { target: await deployTargetResource(id), generatedPublicKey };
  return apiJson(body, status, status === 201 ? { location: `/api/v1/deploy-targets/${id}` } : {});
}

/** A certificate's deploy targets as GET /certificates/{id}/deploy-targets answers them, or 404. */
export async function certificateDeployTargetsResponse(certificateId: string): Promise<Response> {
  const view = await getCertificateDeployTargets(certificateId);
  if (!view) throw notFound("certificate", certificateId);
  return apiJson(toCertificateDeployTargetsResource(view));
}
