import { acceptSshHostKey } from "@/lib/domain/deploy/targets/ssh-host";
import { apiJson, apiRoute } from "@/lib/web/api/api-route";

/** The dashboard's "Accept this key" on an SSH target whose host key changed. */
export const POST = apiRoute("acceptDeployTargetHostKey", async ({ actor, id, body }) =>
  apiJson(await acceptSshHostKey(actor, { id, fingerprint: body.fingerprint })),
);
