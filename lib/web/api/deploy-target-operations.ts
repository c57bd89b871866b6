import type { ApiOperation } from "@/lib/web/api/operations";
import {
  acceptedHostKeySchema,
  acceptHostKeyBodySchema,
  certificateDeployTargetsBodySchema,
  certificateDeployTargetsSchema,
  changeDeployTargetBodySchema,
  createDeployTargetBodySchema,
  deletedDeployTargetSchema,
  deployCertificateQuerySchema,
  deployTargetListSchema,
  deployTargetSchema,
  deployTargetTestSchema,
  savedDeployTargetSchema,
} from "@/lib/web/api/deploy-target-schemas";
import { queuedJobSchema } from "@/lib/web/api/schemas";

/** The REST API's operations on deploy targets and on a certificate's deploys (part of API_OPERATIONS, lib/web/api/operations.ts). */
export const DEPLOY_TARGET_OPERATIONS = {
  listDeployTargets: {
    method: "GET",
    path: "/deploy-targets",
    summary: "List deploy targets",
    description: "By name, pull agents included. Never a private key, a passphrase or a command's text.",
    tag: "Deploy targets",
    success: { status: 200, description: "Every deploy target.", schema: deployTargetListSchema },
  },
  createDeployTarget: {
    method: "POST",
    path: "/deploy-targets",
    summary: "Add a deploy target",
    description:
      'Validated exactly as the dashboard\'s form. For SSH, privateKeySource "generate" makes an ed25519 key pair: the answer has the public key line for authorized_keys (generatedPublicKey); "paste" stores the given privateKey (and passphrase) encrypted.',
    tag: "Deploy targets",
    body: createDeployTargetBodySchema,
    success: { status: 201, description: "The target, and for a generated key its public key line.", schema: savedDeployTargetSchema },
  },
  getDeployTarget: {
    method: "GET",
    path: "/deploy-targets/{id}",
    summary: "Get a deploy target",
    tag: "Deploy targets",
    resource: "deploy target",
    success: { status: 200, description: "The target.", schema: deployTargetSchema },
  },
  changeDeployTarget: {
    method: "PATCH",
    path: "/deploy-targets/{id}",
    summary: "Change a deploy target",
    description:
      "Send its type and the fields to change; the others keep their stored values. Another SSH host or port unpins the host key. A pull target is refused (409): it is managed on its certificate's page.",
    tag: "Deploy targets",
    resource: "deploy target",
    body: changeDeployTargetBodySchema,
    success: { status: 200, description: "The target as changed, and for a newly generated key its public key line.", schema: savedDeployTargetSchema },
    errors: ["conflict"],
  },
  deleteDeployTarget: {
    method: "DELETE",
    path: "/deploy-targets/{id}",
    summary: "Delete a deploy target",
    description:
      "CertDeck forgets its settings, its key and its deploy history; nothing is removed from the host. Certificates that chose it deploy to their other targets (or the default targets) from then on. A pull target is refused (409): its puller is revoked on its certificate's page.",
    tag: "Deploy targets",
    resource: "deploy target",
    success: { status: 200, description: "Deleted.", schema: deletedDeployTargetSchema },
    errors: ["conflict"],
  },
  testDeployTarget: {
    method: "POST",
    path: "/deploy-targets/{id}/test",
    summary: "Test a deploy target",
    description:
      "Deploys nothing. SSH logs in (the first connection pins the host key; a changed key is refused with both fingerprints), nginx runs its test command, a command is checked for shell syntax. A test that fails answers 200 with ok false.",
    tag: "Deploy targets",
    resource: "deploy target",
    success: { status: 200, description: "What was checked and how it went.", schema: deployTargetTestSchema },
    errors: ["conflict"],
  },
  acceptDeployTargetHostKey: {
    method: "POST",
    path: "/deploy-targets/{id}/host-key",
    summary: "Accept an SSH target's new host key",
    description:
      "After a host's key changed (a reinstall, a new server behind the name) and you checked its fingerprint on the host: CertDeck connects, and pins the key only when it is exactly the one given (409 otherwise, nothing changed).",
    tag: "Deploy targets",
    resource: "deploy target",
    body: acceptHostKeyBodySchema,
    success: { status: 200, description: "The key now pinned.", schema: acceptedHostKeySchema },
    errors: ["conflict"],
  },
  getCertificateDeployTargets: {
    method: "GET",
    path: "/certificates/{id}/deploy-targets",
    summary: "Get a certificate's deploy targets",
    description: "The targets it deploys to (its own, or every default target), the current version's deployment on each, and every target to choose from.",
    tag: "Deploy targets",
    resource: "certificate",
    success: { status: 200, description: "The certificate's deploy targets.", schema: certificateDeployTargetsSchema },
  },
  setCertificateDeployTargets: {
    method: "PUT",
    path: "/certificates/{id}/deploy-targets",
    summary: "Choose a certificate's deploy targets",
    description: "Its own targets, or the default ones. Takes effect at the next deploy (POST /certificates/{id}/deploy deploys now).",
    tag: "Deploy targets",
    resource: "certificate",
    body: certificateDeployTargetsBodySchema,
    success: { status: 200, description: "The certificate's deploy targets as chosen.", schema: certificateDeployTargetsSchema },
  },
  deployCertificate: {
    method: "POST",
    path: "/certificates/{id}/deploy",
    summary: "Queue a deploy of the current version now",
    description:
      "As the dashboard's Deploy now: to every target the certificate deploys to (and the deploy hook), or with ?targetId= to that one, ignoring the maintenance window. Follow the job (GET /jobs/{id}); GET /certificates/{id}/deploy-targets then shows each target's result.",
    tag: "Deploy targets",
    resource: "certificate",
    query: deployCertificateQuerySchema,
    success: { status: 202, description: "The deploy job, queued.", schema: queuedJobSchema },
    errors: ["conflict"],
  },
} as const satisfies Record<string, ApiOperation>;
