import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { db } from "@/lib/data/client";

/** Enough to pick an accountId: no keys, no EAB secrets. */
export const GET = apiRoute("listAccounts", async () => {
  const accounts = await db.acmeAccount.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, label: true, directoryUrl: true, status: true } });
  return apiJson({ accounts });
});
