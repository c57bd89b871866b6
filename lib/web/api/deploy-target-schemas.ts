import { z } from "zod";
import { certificateDeployTargetsInputSchema } from "@/lib/domain/certificates/deploy-targets";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deploy/targets/deployment-status";
import {
  COMMAND_SETTINGS,
  commandTargetConfigSchema,
  DEPLOY_TARGET_TYPES,
  nginxTargetConfigSchema,
  sshTargetConfigShape,
  withoutCommands,
} from "@/lib/domain/deploy/targets/target-config";
import { createDeployTargetInputSchema } from "@/lib/domain/deploy/targets/target-input";
import { resourceIdSchema, timestamp } from "@/lib/web/api/schemas";

/**
 * The REST API's shapes for deploy targets and a certificate's choice of them (see
 * lib/web/api/schemas.ts for how they are used). The bodies are the deploy target commands' own
 * input schemas (lib/domain/deploy/targets/target-input.ts). What is read back never holds a
 * secret (the SSH private key, its passphrase) nor a command's text (COMMAND_SETTINGS).
 */

// ---- request bodies and parameters ------------------------------------------------------------

export const createDeployTargetBodySchema = createDeployTargetInputSchema.meta({ id: "CreateDeployTargetRequest" });

/**
 * One type's fields for a change: `type` (which cannot change) says which fields apply; every
 * other field is optional and without its default, so a field left out keeps its stored value.
 */
function changeOf<Type extends z.ZodLiteral<string>>(option: z.ZodObject<{ type: Type }>) {
  const { type, ...fields } = option.shape as { type: Type } & Record<string, z.ZodType>;
  const optionalFields = Object.entries(fields).map(([key, field]) => [
    key,
    (field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodType) : field).optional(),
  ]);
  return z.strictObject({ type, ...(Object.fromEntries(optionalFields) as Record<string, z.ZodOptional>) });
}

const [nginxInput, sshInput, commandInput] = createDeployTargetInputSchema.options;
export const changeDeployTargetBodySchema = z
  .discriminatedUnion("type", [changeOf(nginxInput), changeOf(sshInput), changeOf(commandInput)], {
    error: "Give the target's type (nginx, ssh or command): it cannot change, and it says which fields apply",
  })
  .meta({
    id: "ChangeDeployTargetRequest",
    description:
      "The target's type and the fields to change, as in CreateDeployTargetRequest; a field left out keeps its stored value (commands included, and an SSH key unless privateKeySource says otherwise).",
  });

export const certificateDeployTargetsBodySchema = certificateDeployTargetsInputSchema
  .omit({ certificateId: true })
  .meta({ id: "CertificateDeployTargetsRequest" });

export const deployCertificateQuerySchema = z.strictObject({
  targetId: resourceIdSchema
    .optional()
    .meta({ description: "Only to this target (one of the certificate's targets). Without it: every target the certificate deploys to, and the deploy hook." }),
});

// ---- responses --------------------------------------------------------------------------------

/** A type's stored settings, less its command lines. */
const settingsOf = (shape: z.ZodRawShape) => z.strictObject(withoutCommands(shape) as z.ZodRawShape);

const keyFacts = { fingerprint: z.string(), typeLabel: z.string().meta({ description: '"ED25519", "RSA" …' }) };

export const deployTargetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z
      .enum(DEPLOY_TARGET_TYPES)
      .meta({ description: "nginx (on this server), ssh (a remote host), command, or pull (a pull agent, managed on its certificate's page)." }),
    isDefault: z.boolean().meta({ description: "Certificates without targets of their own deploy to every default target." }),
    settings: z
      .union([settingsOf(nginxTargetConfigSchema.shape), settingsOf(sshTargetConfigShape), settingsOf(commandTargetConfigSchema.shape)])
      .nullable()
      .meta({
        description: `The type's settings as stored (the fields of CreateDeployTargetRequest), without its command lines (${COMMAND_SETTINGS.join(", ")}): a command may hold a credential, so it is never served. null for a pull target, or when the stored settings cannot be read (settingsProblem).`,
      }),
    settingsProblem: z.string().nullable(),
    hostKey: z.object(keyFacts).nullable().meta({ description: "SSH: the pinned host key (the first Test or deploy pins it)." }),
    publicKey: z
      .object({ publicKey: z.string().meta({ description: "The authorized_keys line." }), ...keyFacts })
      .nullable()
      .meta({ description: "SSH: the public half of the stored key. The private key is never served." }),
    hasPrivateKey: z.boolean(),
    assignedTo: z
      .number()
      .int()
      .meta({ description: "How many certificates chose it (a default target also serves every certificate without targets of its own)." }),
    deployments: z
      .partialRecord(z.enum(DEPLOYMENT_STATUSES), z.number().int())
      .meta({ description: 'How the certificates\' current versions stand on it: {"verified": 3, "failed": 1}.' }),
  })
  .meta({ id: "DeployTarget" });

export const deployTargetListSchema = z.object({ targets: z.array(deployTargetSchema) }).meta({ id: "DeployTargetList" });

export const savedDeployTargetSchema = z
  .object({
    target: deployTargetSchema,
    generatedPublicKey: z.string().nullable().meta({
      description:
        "SSH with privateKeySource generate: the new key's authorized_keys line, to append on the host before the first Test or deploy. null otherwise.",
    }),
  })
  .meta({ id: "SavedDeployTarget" });

export const deletedDeployTargetSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: "DeletedDeployTarget" });

export const deployTargetTestSchema = z
  .object({
    ok: z.boolean(),
    message: z.string().meta({ description: "What was checked and how it went, in one sentence." }),
    output: z.string().optional().meta({ description: "The command's output, when there is some." }),
    hostKey: z
      .object({ fingerprint: z.string(), type: z.string(), description: z.string(), isNewlyPinned: z.boolean() })
      .optional()
      .meta({ description: "SSH: the host key the server showed, and whether this test pinned it (the first connection does)." }),
    changedHostKey: z.object({ seen: z.string(), seenDescription: z.string(), pinned: z.string() }).optional().meta({
      description:
        "SSH: the host shows another key than the pinned one; nothing was sent. Once checked on the host, accept it (POST /deploy-targets/{id}/host-key).",
    }),
  })
  .meta({ id: "DeployTargetTest" });

export const acceptHostKeyBodySchema = z
  .strictObject({
    fingerprint: z.string().meta({ description: 'The fingerprint you checked on the host (ssh-keygen -lf), "SHA256:…" or without the prefix.' }),
  })
  .meta({ id: "AcceptHostKeyRequest" });

export const acceptedHostKeySchema = z
  .object({
    name: z.string(),
    hostKey: z.object({ fingerprint: z.string(), type: z.string() }).meta({ description: "The host key now pinned." }),
  })
  .meta({ id: "AcceptedHostKey" });

export const certificateDeployTargetsSchema = z
  .object({
    usesDefaults: z.boolean().meta({ description: "true: the certificate has no targets of its own and deploys to every default target." }),
    currentVersion: z.object({ version: z.number().int(), fingerprintSha256: z.string() }).nullable(),
    targets: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          type: z.enum(DEPLOY_TARGET_TYPES),
          verifyAddress: z.string().nullable().meta({ description: "Where the deploy is verified; null: nothing to verify." }),
          deployment: z
            .object({
              status: z.enum(DEPLOYMENT_STATUSES),
              error: z.string().nullable(),
              servedFingerprint: z.string().nullable(),
              attempts: z.number().int(),
              nextAttemptAt: timestamp().nullable().meta({ description: "When a failed deploy is tried again." }),
              finishedAt: timestamp().nullable(),
            })
            .nullable()
            .meta({ description: "The current version on this target; null: not deployed there yet." }),
        }),
      )
      .meta({ description: "The targets it deploys to now, in deploy order, with pull agents." }),
    available: z
      .array(z.object({ id: z.string(), name: z.string(), type: z.enum(DEPLOY_TARGET_TYPES), isDefault: z.boolean(), isChosen: z.boolean() }))
      .meta({ description: "Every deploy target, to choose from." }),
  })
  .meta({ id: "CertificateDeployTargets" });
