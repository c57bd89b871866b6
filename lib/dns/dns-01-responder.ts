import type { ChallengeResponder } from "@/lib/acme/challenge-responder";
import { AppError } from "@/lib/errors";

/** DNS-01: TXT records published through the certificate's DNS provider. (Being written.) */
export async function openDnsResponder(dnsProviderId: string, jobId: string): Promise<ChallengeResponder> {
  throw new AppError("invalid_input", `DNS-01 (provider ${dnsProviderId}, job ${jobId}) is not available yet.`);
}
