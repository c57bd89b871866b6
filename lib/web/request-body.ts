import { AppError } from "@/lib/core/app-error";

/** The largest request body CertDeck reads (the same limit Next.js puts on server actions). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body as text, refused with a 413 once it grows past `limit` bytes (read in pieces, so a
 * huge body is never held whole).
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${limit / 1024 / 1024} MB. Send less at once.`);
}
