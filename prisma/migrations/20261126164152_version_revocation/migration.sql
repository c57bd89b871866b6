-- AlterTable
ALTER TABLE "CertificateVersion" ADD COLUMN "revocationReason" TEXT;
ALTER TABLE "CertificateVersion" ADD COLUMN "revokedAt" DATETIME;

