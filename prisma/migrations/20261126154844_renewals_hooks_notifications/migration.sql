-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "configEnc" TEXT NOT NULL,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "certificateId" TEXT,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NotificationDelivery_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "importedFrom" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Certificate_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AcmeAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_currentVersionId_fkey" FOREIGN KEY ("currentVersionId") REFERENCES "CertificateVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Certificate" ("accountId", "challengeMethod", "createdAt", "currentVersionId", "id", "identifiers", "keyType", "lastError", "lastErrorAt", "name", "notAfter", "renewAfter", "status", "updatedAt") SELECT "accountId", "challengeMethod", "createdAt", "currentVersionId", "id", "identifiers", "keyType", "lastError", "lastErrorAt", "name", "notAfter", "renewAfter", "status", "updatedAt" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE UNIQUE INDEX "Certificate_name_key" ON "Certificate"("name");
CREATE UNIQUE INDEX "Certificate_currentVersionId_key" ON "Certificate"("currentVersionId");
CREATE INDEX "Certificate_notAfter_idx" ON "Certificate"("notAfter");
CREATE INDEX "Certificate_status_idx" ON "Certificate"("status");
CREATE TABLE "new_CertificateVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "certificateId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "serial" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "issuer" TEXT NOT NULL,
    "fingerprintSha256" TEXT NOT NULL,
    "chainPem" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "deployStatus" TEXT NOT NULL DEFAULT 'deployed',
    "deployedAt" DATETIME,
    "deployError" TEXT,
    "ariCertId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CertificateVersion_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CertificateVersion" ("certificateId", "chainPem", "createdAt", "fingerprintSha256", "id", "issuer", "notAfter", "notBefore", "privateKeyEnc", "serial", "version") SELECT "certificateId", "chainPem", "createdAt", "fingerprintSha256", "id", "issuer", "notAfter", "notBefore", "privateKeyEnc", "serial", "version" FROM "CertificateVersion";
DROP TABLE "CertificateVersion";
ALTER TABLE "new_CertificateVersion" RENAME TO "CertificateVersion";
CREATE UNIQUE INDEX "CertificateVersion_certificateId_version_key" ON "CertificateVersion"("certificateId", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "NotificationDelivery_channelId_eventKey_key" ON "NotificationDelivery"("channelId", "eventKey");

