-- Issue #12: uploaded certificates (issued elsewhere, never renewed) have a source and no ACME account.
-- Rebuilds Certificate (SQLite cannot drop NOT NULL); its indexes are recreated below, and the
-- partial unique index on Job is on Job, so it is untouched.
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
    "source" TEXT NOT NULL DEFAULT 'acme',
    "accountId" TEXT,
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
INSERT INTO "new_Certificate" ("accountId", "ariExplanationUrl", "ariNextCheckAt", "ariWindowEnd", "ariWindowStart", "challengeMethod", "consecutiveFailures", "createdAt", "currentVersionId", "deployHook", "dnsProviderId", "id", "identifiers", "importedFrom", "keyType", "lastError", "lastErrorAt", "lastErrorCode", "lastPreflight", "lastPreflightAt", "maintenanceWindow", "name", "notAfter", "postHook", "preHook", "profile", "renewAfter", "renewBeforeDays", "renewReason", "retryNotBefore", "reuseKey", "status", "updatedAt", "webrootPath", "webrootPaths") SELECT "accountId", "ariExplanationUrl", "ariNextCheckAt", "ariWindowEnd", "ariWindowStart", "challengeMethod", "consecutiveFailures", "createdAt", "currentVersionId", "deployHook", "dnsProviderId", "id", "identifiers", "importedFrom", "keyType", "lastError", "lastErrorAt", "lastErrorCode", "lastPreflight", "lastPreflightAt", "maintenanceWindow", "name", "notAfter", "postHook", "preHook", "profile", "renewAfter", "renewBeforeDays", "renewReason", "retryNotBefore", "reuseKey", "status", "updatedAt", "webrootPath", "webrootPaths" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE UNIQUE INDEX "Certificate_name_key" ON "Certificate"("name");
CREATE UNIQUE INDEX "Certificate_currentVersionId_key" ON "Certificate"("currentVersionId");
CREATE INDEX "Certificate_notAfter_idx" ON "Certificate"("notAfter");
CREATE INDEX "Certificate_status_idx" ON "Certificate"("status");
CREATE INDEX "Certificate_renewAfter_idx" ON "Certificate"("renewAfter");
CREATE INDEX "Certificate_dnsProviderId_idx" ON "Certificate"("dnsProviderId");
CREATE INDEX "Certificate_notAfter_name_idx" ON "Certificate"("notAfter", "name");
CREATE INDEX "Certificate_renewAfter_notAfter_status_idx" ON "Certificate"("renewAfter", "notAfter", "status");
CREATE INDEX "Certificate_ariNextCheckAt_idx" ON "Certificate"("ariNextCheckAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

