import { http01ChallengeResponder, type ChallengeResponder, type ResponderContext } from "@/lib/protocol/acme/challenge-responder";
import { openStandaloneResponder } from "@/lib/protocol/acme/http-01";
import { createAppServedResponder } from "@/lib/domain/certificates/app-served-http-01";
import { openTlsAlpnResponder } from "@/lib/protocol/acme/tls-alpn-01";
import { createWebrootResponder } from "@/lib/protocol/acme/webroot-responder";
import { parseWebrootPaths } from "@/lib/domain/certificates/webroot-paths";
import { getSetting } from "@/lib/data/settings";
import { openDnsResponder } from "@/lib/domain/dns-providers/dns-01-responder";
import { AppError } from "@/lib/core/app-error";

/** What the responders need to know about a certificate. */
export interface ResponderCertificate {
  challengeMethod: string;
  webrootPath: string | null;
  webrootPaths: string | null;
  dnsProviderId: string | null;
}

/** Opens the responder a certificate's challenge method asks for, for one order (its job's responder context). */
export async function openResponderFor(certificate: ResponderCertificate, context: ResponderContext): Promise<ChallengeResponder> {
  switch (certificate.challengeMethod) {
    case "http-01-app":
      return http01ChallengeResponder(
        () => "",
        async () => createAppServedResponder(context.owner),
      );
    case "http-01-standalone": {
      const port = await getSetting("standalonePort");
      return http01ChallengeResponder(
        () => "",
        () => openStandaloneResponder(port),
      );
    }
    case "http-01-webroot": {
      const perName = parseWebrootPaths(certificate.webrootPaths);
      const webrootFor = (name: string) => perName[name] ?? certificate.webrootPath ?? "";
      return http01ChallengeResponder(webrootFor, async (webroot) => {
        if (!webroot) throw new AppError("invalid_input", "This certificate uses the webroot method but has no webroot directory set for every name.");
        return createWebrootResponder(webroot);
      });
    }
    case "tls-alpn-01":
      return openTlsAlpnResponder(await getSetting("tlsAlpnPort"));
    case "dns-01":
      if (!certificate.dnsProviderId)
        throw new AppError("invalid_input", "This certificate uses DNS-01 but has no DNS provider set. Choose one in its settings.");
      return openDnsResponder(certificate.dnsProviderId, context);
    default:
      throw new AppError("invalid_input", `This certificate uses the challenge method "${certificate.challengeMethod}", which CertDeck cannot answer.`);
  }
}
