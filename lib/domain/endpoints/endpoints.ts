import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isUniqueViolation } from "@/lib/data/unique-violation";
import { defineCommand, type CommandContext } from "@/lib/domain/command/define-command";
import { editEndpointSchema, endpointInputSchema, parseWatchedAddress } from "@/lib/domain/endpoints/endpoint-input";
import { probeEndpoint, type StoredEndpointProbe } from "@/lib/domain/endpoints/probe-endpoint";
import { endpointTitle } from "@/lib/domain/notifications/endpoint-events";
import { formatEndpointAddress } from "@/lib/protocol/tls/endpoint-address";

/**
 * The endpoint watch's commands: add, edit and remove a watched endpoint, and "Check now".
 *
 * Adding (and an edit that changes what is probed) probes at once, inside the command: a probe
 * is bounded (5 s to connect, 5 s for the handshake, typically a few milliseconds), so the
 * operator sees the answer where they pressed the button rather than a queued job to follow. A
 * job would add a row, a log and a live view for something shorter than a page load. The
 * scheduler probes everything else in the background (probe-endpoint.ts).
 */

export interface EndpointCommandResult {
  id: string;
  /** "shop.example.com:443" */
  address: string;
  /** The first probe's result (null when the endpoint vanished meanwhile). */
  check: EndpointCheckSummary | null;
}

export interface EndpointCheckSummary {
  status: string;
  message: string;
  /** For a managed certificate: whether its current version is served. */
  servedAsIssued: boolean | null;
  servedVersion: number | null;
  nextCheckAt: Date;
}

const ENDPOINT_GONE = "That endpoint is not watched any more.";

/** The endpoint a command works on, with the columns `select` names, or AppError("not_found"). */
async function endpointOrNotFound<Select extends Prisma.EndpointSelect>(id: string, select: Select) {
  const endpoint = await db.endpoint.findUnique({ where: { id }, select });
  if (!endpoint) throw new AppError("not_found", ENDPOINT_GONE);
  return endpoint;
}

function summarize(stored: StoredEndpointProbe | null): EndpointCheckSummary | null {
  if (!stored) return null;
  const { classification } = stored;
  return {
    status: classification.status,
    message: classification.message,
    servedAsIssued: classification.servedAsIssued,
    servedVersion: classification.servedVersion,
    nextCheckAt: stored.nextCheckAt,
  };
}

/** What an add or an edit saves, as the command's schema left it. */
type SavedEndpoint = z.output<typeof endpointInputSchema>;
type FieldCertificate = { id: string; name: string } | null;

async function certificateForField(certificateId: string | null): Promise<FieldCertificate> {
  if (!certificateId) return null;
  const certificate = await db.certificate.findUnique({ where: { id: certificateId }, select: { id: true, name: true } });
  if (!certificate) {
    throw new AppError("invalid_input", "That certificate does not exist any more.", {
      fieldErrors: { certificateId: ["That certificate does not exist any more: choose another one, or none."] },
    });
  }
  return certificate;
}

/** Another endpoint with the same host, port and SNI name (SQLite's unique index lets NULL names repeat, so this checks too). */
async function refuseDuplicate(host: string, port: number, serverName: string | null, exceptId?: string): Promise<void> {
  const existing = await db.endpoint.findFirst({
    where: { host, port, serverName, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { label: true },
  });
  if (!existing) return;
  const what = endpointTitle({ address: formatEndpointAddress({ host, port }), serverName, label: existing.label });
  const message = `${what} is watched already${serverName ? "" : " (without a server name)"}: edit that one, or give another server name.`;
  throw new AppError("invalid_input", message, { fieldErrors: { address: [message] } });
}

/** Runs an insert or update of an endpoint; a race with another writer of the same address ends as refuseDuplicate's message. */
async function unlessDuplicate<T>(host: string, port: number, serverName: string | null, exceptId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) await refuseDuplicate(host, port, serverName, exceptId);
    throw error;
  }
}

/** The columns an add or an edit writes from the operator's input. */
function endpointColumns(host: string, port: number, input: SavedEndpoint, certificate: FieldCertificate) {
  return { host, port, serverName: input.serverName, caBundlePem: input.caBundlePem, label: input.label, certificateId: certificate?.id ?? null };
}

/** Audits an add or an edit; returns the endpoint's address ("shop.example.com:443"). */
async function auditEndpointSaved(context: CommandContext, host: string, port: number, input: SavedEndpoint, certificate: FieldCertificate): Promise<string> {
  const address = formatEndpointAddress({ host, port });
  await context.audit({
    target: endpointTitle({ address, serverName: input.serverName, label: input.label }),
    detail: { address, serverName: input.serverName, certificate: certificate?.name ?? null, caBundle: Boolean(input.caBundlePem) },
  });
  return address;
}

export const addEndpoint = defineCommand(
  { name: "endpoint.add", permission: "write", does: "watch endpoints", input: endpointInputSchema },
  async (input, context): Promise<EndpointCommandResult> => {
    const { host, port } = parseWatchedAddress(input.address);
    const certificate = await certificateForField(input.certificateId);
    await refuseDuplicate(host, port, input.serverName);
    const { id } = await unlessDuplicate(host, port, input.serverName, undefined, () =>
      db.endpoint.create({ data: { ...endpointColumns(host, port, input, certificate), nextCheckAt: new Date() }, select: { id: true } }),
    );
    const address = await auditEndpointSaved(context, host, port, input, certificate);
    return { id, address, check: summarize(await probeEndpoint(id)) };
  },
);

/**
 * Changes an endpoint. An endpoint watched because a deploy target verifies there keeps its
 * address, name and certificate (they follow the target); its label and CA bundle may change.
 * A change to what is probed forgets the previous findings and probes at once.
 */
export const editEndpoint = defineCommand(
  { name: "endpoint.edit", permission: "write", does: "change watched endpoints", input: editEndpointSchema },
  async (input, context): Promise<EndpointCommandResult> => {
    const existing = await endpointOrNotFound(input.id, {
      host: true,
      port: true,
      serverName: true,
      caBundlePem: true,
      label: true,
      certificateId: true,
      target: { select: { name: true } },
    });
    const { host, port } = parseWatchedAddress(input.address);
    if (
      existing.target &&
      (host !== existing.host || port !== existing.port || input.serverName !== existing.serverName || input.certificateId !== existing.certificateId)
    ) {
      const message = `This endpoint is watched because the deploy target "${existing.target.name}" verifies there: change the target instead. Its label and CA bundle may change here.`;
      throw new AppError("invalid_input", message, { fieldErrors: { address: [message] } });
    }
    const certificate = await certificateForField(input.certificateId);
    await refuseDuplicate(host, port, input.serverName, input.id);
    const isProbeChanged =
      host !== existing.host ||
      port !== existing.port ||
      input.serverName !== existing.serverName ||
      input.caBundlePem !== existing.caBundlePem ||
      input.certificateId !== existing.certificateId;
    const isAddressChanged = host !== existing.host || port !== existing.port || input.serverName !== existing.serverName;
    await unlessDuplicate(host, port, input.serverName, input.id, () =>
      db.endpoint.update({
        where: { id: input.id },
        data: {
          ...endpointColumns(host, port, input, certificate),
          ...(isProbeChanged ? { status: "pending", message: null, nextCheckAt: new Date() } : {}),
          // Another server: what the old one served, and its failures, say nothing about it.
          ...(isAddressChanged
            ? {
                consecutiveFailures: 0,
                checkedAt: null,
                fingerprintSha256: null,
                notAfter: null,
                notBefore: null,
                issuer: null,
                servedNames: null,
                chainPem: null,
              }
            : {}),
        },
      }),
    );
    const address = await auditEndpointSaved(context, host, port, input, certificate);
    return { id: input.id, address, check: isProbeChanged ? summarize(await probeEndpoint(input.id)) : null };
  },
);

export const removeEndpoint = defineCommand(
  { name: "endpoint.remove", permission: "write", does: "stop watching endpoints", input: z.object({ id: idSchema }) },
  async ({ id }, context): Promise<{ title: string }> => {
    const endpoint = await endpointOrNotFound(id, { host: true, port: true, serverName: true, label: true, target: { select: { name: true } } });
    if (endpoint.target) {
      throw new AppError(
        "conflict",
        `This endpoint is watched because the deploy target "${endpoint.target.name}" verifies there; it goes when the target no longer verifies there or is removed.`,
      );
    }
    const { count } = await db.endpoint.deleteMany({ where: { id } });
    if (count === 0) throw new AppError("not_found", ENDPOINT_GONE);
    const title = endpointTitle({ address: formatEndpointAddress(endpoint), serverName: endpoint.serverName, label: endpoint.label });
    await context.audit({ target: title });
    return { title };
  },
);

/** "Check now": probes at once (bounded, see above) and returns what it found. Not audited: it changes nothing but the findings. */
export const checkEndpoint = defineCommand(
  { name: "endpoint.check", permission: "write", does: "check endpoints", input: z.object({ id: idSchema }) },
  async ({ id }): Promise<EndpointCheckSummary> => {
    const stored = summarize(await probeEndpoint(id));
    if (!stored) throw new AppError("not_found", ENDPOINT_GONE);
    return stored;
  },
);
