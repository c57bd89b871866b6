import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { getCurrentFullchain } from "@/lib/domain/certificates/queries";
import { httpErrorResponse } from "@/lib/web/http-error";
import { getCurrentUser } from "@/lib/web/session";

/** The certificate page's download of the current fullchain.pem (public material: leaf and intermediates). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    if (!(await getCurrentUser())) throw new AppError("unauthorized", "Sign in first.");
    const id = idSchema.safeParse((await params).id);
    if (!id.success) throw new AppError("not_found", "There is no such certificate.");
    const fullchain = await getCurrentFullchain(id.data);
    return new Response(fullchain.pem, {
      headers: {
        "content-type": "application/x-pem-file",
        "content-disposition": `attachment; filename="${fullchain.filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return httpErrorResponse(error, "GET /api/certificates/[id]/fullchain");
  }
}
