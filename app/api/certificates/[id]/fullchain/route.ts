import { getCurrentUser } from "@/lib/web/session";
import { db } from "@/lib/data/client";
import { lineageDirectoryName } from "@/lib/protocol/lineage/lineage-files";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";

/** Downloads the current version's fullchain.pem (public material: leaf and intermediates). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!(await getCurrentUser())) return Response.json({ error: "sign in first" }, { status: 401 });
  const id = certificateIdSchema.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "not found" }, { status: 404 });
  const certificate = await db.certificate.findUnique({
    where: { id: id.data },
    select: { name: true, currentVersion: { select: { chainPem: true, version: true } } },
  });
  if (!certificate?.currentVersion) return Response.json({ error: "not found" }, { status: 404 });
  const filename = `${lineageDirectoryName(certificate.name)}-fullchain${certificate.currentVersion.version}.pem`;
  return new Response(certificate.currentVersion.chainPem, {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
