/**
 * What the deploy target commands take: a target's name, whether certificates without targets of
 * their own use it, and its type's settings (flat, so each problem names its form field), plus,
 * for SSH, where its private key comes from. Typed values: the form's strings are converted in
 * lib/web/deploy-target-form-input.ts, the REST API would send JSON.
 */
import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { checkSshPaths, commandTargetConfigSchema, nginxTargetConfigSchema, sshTargetConfigShape } from "@/lib/domain/deploy/targets/target-config";

const targetName = z
  .string({ error: "Give the target a name" })
  .trim()
  .min(1, "Give the target a name, such as “web-1 nginx”")
  .max(80, "At most 80 characters");

const common = {
  name: targetName,
  /** Certificates that have no targets of their own deploy to every default target. */
  isDefault: z.boolean().default(false),
};

/**
 * generate: CertDeck makes an ed25519 key pair (the page then shows the public key for
 * authorized_keys); paste: the operator's own key; keep: the stored key stays (when changing).
 */
export const PRIVATE_KEY_SOURCES = ["generate", "paste", "keep"] as const;
export type PrivateKeySource = (typeof PRIVATE_KEY_SOURCES)[number];

const sshKeyFields = {
  privateKeySource: z.enum(PRIVATE_KEY_SOURCES, { error: "Choose where the private key comes from" }),
  /** With "paste": the private key's text. Never stored as given, never logged, never shown again. */
  privateKey: z.string().max(20_000, "That is too long for a private key").optional(),
  passphrase: z.string().max(1000, "At most 1000 characters").optional(),
};

const TYPE_ERROR = { error: "Choose the kind of target: nginx, SSH or command" };
const nginxFields = { type: z.literal("nginx"), ...common, ...nginxTargetConfigSchema.shape };
const sshFields = { type: z.literal("ssh"), ...common, ...sshTargetConfigShape, ...sshKeyFields };
const commandFields = { type: z.literal("command"), ...common, ...commandTargetConfigSchema.shape };

export const createDeployTargetInputSchema = z.discriminatedUnion(
  "type",
  [z.strictObject(nginxFields), z.strictObject(sshFields).superRefine(checkSshPaths), z.strictObject(commandFields)],
  TYPE_ERROR,
);
export type CreateDeployTargetInput = z.input<typeof createDeployTargetInputSchema>;

const id = { id: idSchema };
/** The same, with the target's id; its type cannot change (add another target instead). */
export const updateDeployTargetInputSchema = z.discriminatedUnion(
  "type",
  [z.strictObject({ ...id, ...nginxFields }), z.strictObject({ ...id, ...sshFields }).superRefine(checkSshPaths), z.strictObject({ ...id, ...commandFields })],
  TYPE_ERROR,
);
export type UpdateDeployTargetInput = z.input<typeof updateDeployTargetInputSchema>;

/** The fields that are settings (stored in DeployTarget.config): everything but these. */
export const NON_CONFIG_FIELDS = ["id", "type", "name", "isDefault", "privateKeySource", "privateKey", "passphrase"] as const;

export function configOf(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !(NON_CONFIG_FIELDS as readonly string[]).includes(key)));
}
