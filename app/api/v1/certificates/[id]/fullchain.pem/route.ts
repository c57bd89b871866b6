import { getCurrentFullchain } from "@/lib/domain/certificates/queries";
import { apiRoute } from "@/lib/web/api/api-route";
import { API_RESPONSE_HEADERS } from "@/lib/web/http-error";

/** fullchain.pem of the current version: public material only (leaf and intermediates). */
export const GET = apiRoute("downloadFullchain", async ({ id }) => {
  const fullchain = await getCurrentFullchain(id);
  return new Response(fullchain.pem, {
    headers: {
      ...API_RESPONSE_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${fullchain.filename}"`,
    },
  });
});
