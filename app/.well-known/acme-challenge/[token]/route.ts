import { findKeyAuthorization } from "@/lib/domain/certificates/app-served-http-01";

/**
 * HTTP-01 answers for the "served by CertDeck" method: an nginx in front proxies
 * /.well-known/acme-challenge/ here. Public by design (the CA calls it); it reveals only key
 * authorizations that the CA is validating at that moment.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const keyAuthorization = /^[A-Za-z0-9_-]{1,256}$/.test(token) ? await findKeyAuthorization(token) : null;
  if (!keyAuthorization) return new Response("not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  return new Response(keyAuthorization, { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
