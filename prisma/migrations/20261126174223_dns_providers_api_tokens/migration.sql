-- CreateTable
CREATE TABLE "DnsProvider" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "credentialsEnc" TEXT,
    "propagationTimeoutSeconds" INTEGER NOT NULL DEFAULT 120,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "identifiers" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "challengeMethod" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "accountId" TEXT NOT NULL,
    "currentVersionId" TEXT,
    "notAfter" DATETIME,
    "renewAfter" DATETIME,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "lastErrorCode" TEXT,
    "lastPreflight" TEXT,
    "lastPreflightAt" DATETIME,
    "profile" TEXT,
    "renewBeforeDays" INTEGER,
    "renewReason" TEXT,
    "ariWindowStart" DATETIME,
    "ariWindowEnd" DATETIME,
    "ariExplanationUrl" TEXT,
    "ariNextCheckAt" DATETIME,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "retryNotBefore" DATETIME,
    "maintenanceWindow" TEXT,
    "preHook" TEXT,
    "postHook" TEXT,
    "deployHook" TEXT,
    "webrootPath" TEXT,
    "webrootPaths" TEXT,
    "dnsProviderId" TEXT,
    "reuseKey" BOOLEAN NOT NULL DEFAULT false,
    "importedFrom" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Certificate_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AcmeAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_currentVersionId_fkey" FOREIGN KEY ("currentVersionId") REFERENCES "CertificateVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Certificate_dnsProviderId_fkey" FOREIGN KEY ("dnsProviderId") REFERENCES "DnsProvider" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Certificate" ("accountId", "ariExplanationUrl", "ariNextCheckAt", "ariWindowEnd", "ariWindowStart", "challengeMethod", "consecutiveFailures", "createdAt", "currentVersionId", "deployHook", "id", "identifiers", "importedFrom", "keyType", "lastError", "lastErrorAt", "lastErrorCode", "lastPreflight", "lastPreflightAt", "maintenanceWindow", "name", "notAfter", "postHook", "preHook", "profile", "renewAfter", "renewBeforeDays", "renewReason", "retryNotBefore", "status", "updatedAt", "webrootPath") SELECT "accountId", "ariExplanationUrl", "ariNextCheckAt", "ariWindowEnd", "ariWindowStart", "challengeMethod", "consecutiveFailures", "createdAt", "currentVersionId", "deployHook", "id", "identifiers", "importedFrom", "keyType", "lastError", "lastErrorAt", "lastErrorCode", "lastPreflight", "lastPreflightAt", "maintenanceWindow", "name", "notAfter", "postHook", "preHook", "profile", "renewAfter", "renewBeforeDays", "renewReason", "retryNotBefore", "status", "updatedAt", "webrootPath" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE UNIQUE INDEX "Certificate_name_key" ON "Certificate"("name");
CREATE UNIQUE INDEX "Certificate_currentVersionId_key" ON "Certificate"("currentVersionId");
CREATE INDEX "Certificate_notAfter_idx" ON "Certificate"("notAfter");
CREATE INDEX "Certificate_status_idx" ON "Certificate"("status");
CREATE INDEX "Certificate_renewAfter_idx" ON "Certificate"("renewAfter");
CREATE INDEX "Certificate_dnsProviderId_idx" ON "Certificate"("dnsProviderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "DnsProvider_name_key" ON "DnsProvider"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "Job_type_status_idx" ON "Job"("type", "status");


-- A job waiting for the operator (a manual DNS record) still holds its certificate: no second
-- order may start meanwhile. (Partial index; Prisma's schema language cannot express it.)
DROP INDEX "Job_one_active_per_certificate";
CREATE UNIQUE INDEX "Job_one_active_per_certificate" ON "Job"("certificateId") WHERE "status" IN ('queued', 'running', 'waiting') AND "certificateId" IS NOT NULL;
