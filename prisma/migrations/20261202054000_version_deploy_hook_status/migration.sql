-- AlterTable
ALTER TABLE "CertificateVersion" ADD COLUMN "deployHookError" TEXT;
ALTER TABLE "CertificateVersion" ADD COLUMN "deployHookStatus" TEXT;


-- Until now a version's deployStatus was the deploy hook's alone: keep what it said as the hook's part.
UPDATE "CertificateVersion" SET "deployHookStatus" = 'failed', "deployHookError" = "deployError" WHERE "deployStatus" = 'deploy-failed';
UPDATE "CertificateVersion" SET "deployHookStatus" = 'waiting-window' WHERE "deployStatus" = 'waiting-window';
