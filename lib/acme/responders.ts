import { createAppServedResponder, openStandaloneResponder, type Http01Responder } from "@/lib/acme/http-01";
import { createWebrootResponder } from "@/lib/acme/webroot-responder";
import { getSetting } from "@/lib/db/settings";
import { AppError } from "@/lib/errors";

/** Opens the HTTP-01 responder a certificate's challenge method asks for. */
export async function openResponderFor(
  certificate: { challengeMethod: string; webrootPath: string | null },
  jobId: string,
): Promise<Http01Responder> {
  switch (certificate.challengeMethod) {
    case "http-01-app":
      return createAppServedResponder(jobId);
    case "http-01-standalone":
      return openStandaloneResponder(await getSetting("standalonePort"));
    case "http-01-webroot":
      if (!certificate.webrootPath) throw new AppError("invalid_input", "This certificate uses the webroot method but has no webroot directory set.");
      return createWebrootResponder(certificate.webrootPath);
    default:
      throw new AppError("invalid_input", `This certificate uses the challenge method "${certificate.challengeMethod}", which CertDeck cannot answer.`);
  }
}
