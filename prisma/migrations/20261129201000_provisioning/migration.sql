-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "profileId" TEXT;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "defaultProfileId" TEXT;
ALTER TABLE "Organization" ADD COLUMN "provPasswordEnc" TEXT;
ALTER TABLE "Organization" ADD COLUMN "provToken" TEXT;
ALTER TABLE "Organization" ADD COLUMN "provUsername" TEXT;

-- CreateTable
CREATE TABLE "ProvisioningProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "settingsJson" TEXT NOT NULL DEFAULT '{}',
    "adminPasswordEnc" TEXT,
    "httpPasswordEnc" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProvisioningProfile_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PhoneLogLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "phoneId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "severity" INTEGER,
    "text" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PhoneLogLine_phoneId_fkey" FOREIGN KEY ("phoneId") REFERENCES "Phone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (added columns only: no table rebuild, so columns other branches add to Phone survive)
ALTER TABLE "Phone" ADD COLUMN "provOverridesEnc" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provFirstFetchAt" DATETIME;
ALTER TABLE "Phone" ADD COLUMN "provLastFetchAt" DATETIME;
ALTER TABLE "Phone" ADD COLUMN "provFetchCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Phone" ADD COLUMN "provLastAddress" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provUserAgent" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provFirstModel" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provFirstFirmware" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provFirmware" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provLastHash" TEXT;
ALTER TABLE "Phone" ADD COLUMN "provLastChanged" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "ProvisioningProfile_organizationId_name_key" ON "ProvisioningProfile"("organizationId", "name");

-- CreateIndex
CREATE INDEX "PhoneLogLine_phoneId_receivedAt_idx" ON "PhoneLogLine"("phoneId", "receivedAt");

-- CreateIndex
CREATE INDEX "PhoneLogLine_organizationId_idx" ON "PhoneLogLine"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_provToken_key" ON "Organization"("provToken");
