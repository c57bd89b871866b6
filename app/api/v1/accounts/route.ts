import { listAccountSummaries } from "@/lib/domain/accounts/queries";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";

/** Enough to pick an accountId: no keys, no EAB secrets. */
export const GET = apiRoute("listAccounts", async () => apiJson({ accounts: await listAccountSummaries() }));
