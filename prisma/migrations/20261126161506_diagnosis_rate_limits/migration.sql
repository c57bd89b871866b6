-- AlterTable
ALTER TABLE "AcmeAccount" ADD COLUMN "failedValidationsPerHourLimit" INTEGER;
ALTER TABLE "AcmeAccount" ADD COLUMN "ordersPer3HoursLimit" INTEGER;

-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN "lastErrorCode" TEXT;
ALTER TABLE "Certificate" ADD COLUMN "lastPreflight" TEXT;
ALTER TABLE "Certificate" ADD COLUMN "lastPreflightAt" DATETIME;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN "options" TEXT;

-- CreateTable
CREATE TABLE "AcmeRateEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "identifier" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AcmeRateEvent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AcmeAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AcmeRateEvent_accountId_kind_at_idx" ON "AcmeRateEvent"("accountId", "kind", "at");

