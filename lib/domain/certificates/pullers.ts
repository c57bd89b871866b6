import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { findCertificateOrThrow } from "@/lib/domain/certificates/certificate-job";
import { defineCommand } from "@/lib/domain/command/define-command";
import { generatePullToken, PULL_SCOPE_IDS, type PullConfig, type PullScope } from "@/lib/domain/deploy/pull/pull-protocol";

/**
 * A puller's name: the machine that pulls. It names the agent's files on that machine
 * (/etc/certdeck-pull/<name>.env, certdeck-pull@<name>.timer), so it is a plain word; deploy
 * target names are unique across CertDeck.
 */
export const pullerNameSchema = z
  .string({ error: "Name the puller" })
  .trim()
  .toLowerCase()
  .min(1, 'Name the puller after the machine that fetches, e.g. "web1"')
  .max(64, "At most 64 characters")
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    "Use letters, digits, dots, hyphens and underscores only, starting with a letter or digit (it names files and a systemd unit on the machine)",
  );

const reloadHintSchema = z
  .string()
  .trim()
  .max(500, "At most 500 characters")
  .regex(/^[^\u0000-\u001f\u007f]*$/, "One line: no line breaks or control characters")
  .optional()
  .transform((text) => (text ? text : undefined));

export const createPullerSchema = z.object({
  certificateId: idSchema,
  name: pullerNameSchema,
  scope: z.enum(PULL_SCOPE_IDS, { error: "Choose what the puller may fetch" }),
  /** The reload command the install snippet suggests (e.g. "systemctl reload nginx"); the agent's own config decides. */
  reloadHint: reloadHintSchema,
});

export interface CreatedPuller {
  id: string;
  name: string;
  scope: PullScope;
  reloadHint: string | null;
  /** Shown once: CertDeck keeps only its SHA-256. */
  token: string;
  tokenPrefix: string;
  certificate: { id: string; name: string };
}

/**
 * Adds a pull target for one certificate and returns its token, which exists nowhere else
 * afterwards. The audit entry names the token by its prefix, never the token itself. It hands
 * out read access to the certificate (and its key, with that scope), so it needs the "secret"
 * permission: API tokens cannot make pullers.
 */
export const createPuller = defineCommand(
  { name: "deploy-target.add", permission: "secret", does: "add pullers", input: createPullerSchema },
  async ({ certificateId, name, scope, reloadHint }, context): Promise<CreatedPuller> => {
    const certificate = await findCertificateOrThrow(certificateId);
    const taken = () =>
      new AppError("invalid_input", `A deploy target is already named "${name}".`, {
        fieldErrors: {
          name: [
            `"${name}" is taken: deploy target names are unique, so add the certificate, e.g. "${name}-${certificate.name.replace(/^\*\./, "wildcard.").slice(0, 40)}"`,
          ],
        },
      });
    if (await db.deployTarget.findUnique({ where: { name }, select: { id: true } })) throw taken();
    const { token, tokenHash, prefix } = generatePullToken();
    const config: PullConfig = { scope, ...(reloadHint ? { reloadHint } : {}) };
    let id: string;
    try {
      ({ id } = await db.deployTarget.create({
        data: {
          name,
          type: "pull",
          config: JSON.stringify(config),
          tokenHash,
          tokenPrefix: prefix,
          certificates: { create: { certificateId: certificate.id } },
        },
        select: { id: true },
      }));
    } catch (error) {
      // Two adds with the same name at once: the unique index decides.
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    await context.audit({ target: name, detail: { type: "pull", certificate: certificate.name, scope, tokenPrefix: prefix } });
    return { id, name, scope, reloadHint: reloadHint ?? null, token, tokenPrefix: prefix, certificate };
  },
);

/**
 * Revokes a puller: the target is deleted (with its deployments), so its token gets 401 from the
 * next request on. The files already on the machine stay where they are.
 */
export const revokePuller = defineCommand(
  { name: "deploy-target.remove", permission: "write", does: "revoke pullers", input: z.object({ id: idSchema }) },
  async ({ id }, context): Promise<{ certificateId: string | null }> => {
    const target = await db.deployTarget.findUnique({
      where: { id },
      select: { name: true, type: true, tokenPrefix: true, certificates: { select: { certificate: { select: { id: true, name: true } } } } },
    });
    if (!target || target.type !== "pull") throw new AppError("not_found", "That puller does not exist: it was revoked already.");
    const { count } = await db.deployTarget.deleteMany({ where: { id, type: "pull" } });
    if (count === 0) throw new AppError("not_found", "That puller does not exist: it was revoked already.");
    const certificate = target.certificates[0]?.certificate ?? null;
    await context.audit({ target: target.name, detail: { type: "pull", certificate: certificate?.name ?? null, tokenPrefix: target.tokenPrefix } });
    return { certificateId: certificate?.id ?? null };
  },
);
