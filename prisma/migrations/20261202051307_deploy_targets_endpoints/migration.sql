-- CreateTable
CREATE TABLE "DeployTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "credentialsEnc" TEXT,
    "hostKeyFingerprint" TEXT,
    "hostKeyType" TEXT,
    "tokenHash" TEXT,
    "tokenPrefix" TEXT,
    "lastSeenAt" DATETIME,
    "lastSeenAddress" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CertificateDeployTarget" (
    "certificateId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,

    PRIMARY KEY ("certificateId", "targetId"),
    CONSTRAINT "CertificateDeployTarget_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CertificateDeployTarget_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "DeployTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "error" TEXT,
    "servedFingerprint" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Deployment_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CertificateVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deployment_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "DeployTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Endpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 443,
    "serverName" TEXT,
    "caBundlePem" TEXT,
    "label" TEXT,
    "certificateId" TEXT,
    "targetId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "checkedAt" DATETIME,
    "nextCheckAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "fingerprintSha256" TEXT,
    "notAfter" DATETIME,
    "notBefore" DATETIME,
    "issuer" TEXT,
    "servedNames" TEXT,
    "chainPem" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Endpoint_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Endpoint_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "DeployTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "DeployTarget_name_key" ON "DeployTarget"("name");

-- CreateIndex
CREATE UNIQUE INDEX "DeployTarget_tokenHash_key" ON "DeployTarget"("tokenHash");

-- CreateIndex
CREATE INDEX "CertificateDeployTarget_targetId_idx" ON "CertificateDeployTarget"("targetId");

-- CreateIndex
CREATE INDEX "Deployment_targetId_idx" ON "Deployment"("targetId");

-- CreateIndex
CREATE INDEX "Deployment_status_nextAttemptAt_idx" ON "Deployment"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_versionId_targetId_key" ON "Deployment"("versionId", "targetId");

-- CreateIndex
CREATE INDEX "Endpoint_nextCheckAt_idx" ON "Endpoint"("nextCheckAt");

-- CreateIndex
CREATE INDEX "Endpoint_notAfter_idx" ON "Endpoint"("notAfter");

-- CreateIndex
CREATE INDEX "Endpoint_certificateId_idx" ON "Endpoint"("certificateId");

-- CreateIndex
CREATE INDEX "Endpoint_targetId_idx" ON "Endpoint"("targetId");

-- CreateIndex
CREATE UNIQUE INDEX "Endpoint_host_port_serverName_key" ON "Endpoint"("host", "port", "serverName");

