/**
 * Settings → Deploy targets: add, change, delete. Audited with the settings' names only: never a
 * key, a passphrase or a command's text (commands may hold credentials).
 */
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { z } from "zod";
import { db } from "@/lib/data/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { generateSshKeyPair, readPrivateKey } from "@/lib/protocol/ssh/private-key";
import { defineCommand } from "@/lib/domain/command/define-command";
import { isActiveTargetType, readTargetConfig, storedVerifyAddressOf } from "@/lib/domain/deploy/targets/target-config";
import { refreshVersionDeployStatus } from "@/lib/domain/deploy/deploy-version";
import { encryptCredentials } from "@/lib/domain/deploy/targets/target-credentials";
import { configOf, createDeployTargetInputSchema, updateDeployTargetInputSchema, type UpdateDeployTargetInput } from "@/lib/domain/deploy/targets/target-input";

type TargetInput = z.output<typeof createDeployTargetInputSchema>;

export interface SavedDeployTarget {
  id: string;
  name: string;
  /** SSH, when CertDeck generated the key: the authorized_keys line to put on the host. */
  generatedPublicKey: string | null;
}

/** The credentials to store for an SSH target's key choice, or undefined to keep what is stored. */
function credentialsFor(input: TargetInput, isNew: boolean): { credentialsEnc: string; publicKey: string | null; source: string } | undefined {
  if (input.type !== "ssh") return undefined;
  switch (input.privateKeySource) {
    case "generate": {
      const pair = generateSshKeyPair(`certdeck-${input.name.replace(/[^A-Za-z0-9._-]+/g, "-")}`);
      return { credentialsEnc: encryptCredentials({ privateKey: pair.privateKey }), publicKey: pair.publicKey, source: "generated" };
    }
    case "paste": {
      // Changing a target, an empty field keeps the stored key.
      if (!isNew && !input.privateKey?.trim()) return undefined;
      // Read now: a key that is not one, or a wrong passphrase, is refused on its field.
      const key = readPrivateKey(input.privateKey ?? "", input.passphrase);
      return {
        credentialsEnc: encryptCredentials({ privateKey: key.pem, ...(key.passphrase ? { passphrase: key.passphrase } : {}) }),
        publicKey: null,
        source: "pasted",
      };
    }
    case "keep":
      if (isNew) throw fieldError("privateKeySource", "Generate a key pair, or paste the private key CertDeck logs in with.");
      return undefined;
  }
}

const NAME_TAKEN = "Another deploy target has this name.";

function refuseTypeChange(storedType: string, type: string): void {
  if (storedType !== type) throw fieldError("type", "A target's kind cannot change: add a new target instead.");
}

export const createDeployTarget = defineCommand(
  { name: "deploy-target.add", permission: "write", does: "add deploy targets", input: createDeployTargetInputSchema },
  async (input, context): Promise<SavedDeployTarget> => {
    const credentials = credentialsFor(input, true);
    let id: string;
    try {
      ({ id } = await db.deployTarget.create({
        data: {
          name: input.name,
          type: input.type,
          config: JSON.stringify(configOf(input)),
          isDefault: input.isDefault,
          credentialsEnc: credentials?.credentialsEnc ?? null,
        },
        select: { id: true },
      }));
    } catch (error) {
      if (isUniqueViolation(error)) throw fieldError("name", NAME_TAKEN);
      throw error;
    }
    await context.audit({
      target: input.name,
      detail: { type: input.type, isDefault: input.isDefault, ...(credentials ? { privateKey: credentials.source } : {}) },
    });
    return { id, name: input.name, generatedPublicKey: credentials?.publicKey ?? null };
  },
);

export const updateDeployTarget = defineCommand(
  { name: "deploy-target.change", permission: "write", does: "change deploy targets", input: updateDeployTargetInputSchema },
  async (input, context): Promise<SavedDeployTarget> => {
    const existing = await deployTargetOrNotFound(input.id);
    refuseTypeChange(existing.type, input.type);
    const credentials = credentialsFor(input, !existing.credentialsEnc && input.type === "ssh");
    const config = configOf(input);
    let previous: Record<string, unknown> = {};
    try {
      previous = readTargetConfig(existing).config;
    } catch {
      previous = {};
    }
    const changed = [
      ...(existing.name !== input.name ? ["name"] : []),
      ...(existing.isDefault !== input.isDefault ? ["isDefault"] : []),
      ...Object.keys(config).filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(config[key])),
      ...(credentials ? ["privateKey"] : []),
    ];
    // The watched endpoints follow where the target verifies, and which certificates it serves.
    const endpointsSyncDue =
      existing.isDefault !== input.isDefault || storedVerifyAddressOf(existing) !== storedVerifyAddressOf({ ...existing, config: JSON.stringify(config) });
    // Another host (or port) is another host key: pinned again on the next connection.
    const hostMoved = input.type === "ssh" && (previous.host !== config.host || previous.port !== config.port);
    try {
      await db.deployTarget.update({
        where: { id: input.id },
        data: {
          name: input.name,
          isDefault: input.isDefault,
          config: JSON.stringify(config),
          ...(credentials ? { credentialsEnc: credentials.credentialsEnc } : {}),
          ...(hostMoved ? { hostKeyFingerprint: null, hostKeyType: null } : {}),
          ...(endpointsSyncDue ? { endpointsSyncDue } : {}),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw fieldError("name", NAME_TAKEN);
      throw error;
    }
    if (changed.length > 0)
      await context.audit({
        target: input.name,
        detail: {
          changed,
          ...(credentials ? { privateKey: credentials.source } : {}),
          ...(hostMoved && existing.hostKeyFingerprint ? { hostKeyUnpinned: true } : {}),
        },
      });
    return { id: input.id, name: input.name, generatedPublicKey: credentials?.publicKey ?? null };
  },
);

export const deleteDeployTarget = defineCommand(
  { name: "deploy-target.delete", permission: "write", does: "delete deploy targets", input: z.object({ id: idSchema }) },
  async ({ id }, context): Promise<{ name: string }> => {
    // A pull target goes when its puller is revoked, on its certificate's page (revokePuller).
    const target = await findActiveTargetOrThrow(id);
    const assignedTo = await db.certificateDeployTarget.count({ where: { targetId: id } });
    // Its deployments and assignments go with it; certificates left without targets use the defaults.
    const affected = await db.deployment.findMany({ where: { targetId: id, version: { currentOf: { isNot: null } } }, select: { versionId: true } });
    await db.deployTarget.delete({ where: { id } });
    for (const { versionId } of affected) await refreshVersionDeployStatus(versionId);
    await context.audit({ target: target.name, detail: { type: target.type, assignedTo } });
    return { name: target.name };
  },
);

/** The deploy target a command works on, or AppError("not_found"). */
export async function deployTargetOrNotFound(id: string) {
  const target = await db.deployTarget.findUnique({ where: { id } });
  if (!target) throw new AppError("not_found", "That deploy target does not exist.");
  return target;
}

/** A target that is deployed by CertDeck (not a pull agent's), or AppError. */
export async function findActiveTargetOrThrow(id: string) {
  const target = await deployTargetOrNotFound(id);
  if (!isActiveTargetType(target.type)) throw new AppError("conflict", `"${target.name}" is a pull target: its agent fetches new versions itself.`);
  return target;
}

/**
 * A stored target as the change command takes it (its settings, commands included, and its SSH
 * key kept): what a change of some fields of a target of `type` starts from. AppError("not_found"),
 * ("conflict") for a pull target, whose agent is managed on its certificate's page, or
 * ("invalid_input") when `type` is another one.
 */
export async function deployTargetInputOf(id: string, type: string): Promise<UpdateDeployTargetInput> {
  const target = await findActiveTargetOrThrow(id);
  refuseTypeChange(target.type, type);
  const { config } = readTargetConfig(target);
  return {
    id,
    type,
    name: target.name,
    isDefault: target.isDefault,
    ...config,
    ...(type === "ssh" ? { privateKeySource: "keep" } : {}),
  } as UpdateDeployTargetInput;
}
