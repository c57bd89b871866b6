-- A deploy target whose verify address or default flag changed: the endpoint sweep syncs the
-- watched endpoints of the certificates it serves.
ALTER TABLE "DeployTarget" ADD COLUMN "endpointsSyncDue" BOOLEAN NOT NULL DEFAULT false;

-- Until now an SSH target that verifies at its host (no address of its own) got no watched
-- endpoint: the first sweep after the upgrade syncs every pushed target's certificates.
UPDATE "DeployTarget" SET "endpointsSyncDue" = true WHERE "type" <> 'pull';
