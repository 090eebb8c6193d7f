-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "urlTemplate" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "rdsEndpointKind" TEXT NOT NULL DEFAULT 'SANDBOX',
    "rdsCustomUrl" TEXT,
    "rdsUsername" TEXT,
    "rdsPasswordEnc" TEXT,
    "rdsPausedAt" TIMESTAMPTZ(3),
    "rdsPausedReason" TEXT,
    "provToken" TEXT,
    "provUsername" TEXT,
    "provPasswordEnc" TEXT,
    "defaultProfileId" TEXT,
    "circuitOpenedAt" TIMESTAMPTZ(3),
    "circuitNextProbeAt" TIMESTAMPTZ(3),
    "circuitLastError" TEXT,
    "circuitProbes" INTEGER NOT NULL DEFAULT 0,
    "reconcileEveryHours" INTEGER NOT NULL DEFAULT 24,
    "reconcileLastAt" TIMESTAMPTZ(3),

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'SALES',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "sessionsValidFrom" TIMESTAMPTZ(3),
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "contactName" TEXT,
    "contactEmail" TEXT,
    "contactPhone" TEXT,
    "notes" TEXT,
    "urlTemplate" TEXT,
    "profileId" TEXT,
    "createdById" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Phone" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "model" TEXT,
    "label" TEXT,
    "serial" TEXT,
    "urlOverride" TEXT,
    "createdById" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "syncStatus" TEXT NOT NULL DEFAULT 'pending',
    "syncedAt" TIMESTAMPTZ(3),
    "registeredUrl" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lastErrorCode" TEXT,
    "lastErrorText" TEXT,
    "ownerCompany" TEXT,
    "deletedAt" TIMESTAMPTZ(3),
    "provOverridesEnc" TEXT,
    "provFirstFetchAt" TIMESTAMPTZ(3),
    "provLastFetchAt" TIMESTAMPTZ(3),
    "provFetchCount" INTEGER NOT NULL DEFAULT 0,
    "provLastAddress" TEXT,
    "provUserAgent" TEXT,
    "provFirstModel" TEXT,
    "provFirstFirmware" TEXT,
    "provFirmware" TEXT,
    "provLastHash" TEXT,
    "provLastChanged" BOOLEAN NOT NULL DEFAULT false,
    "ownerCheckedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Phone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncJob" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phoneId" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimToken" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phoneId" TEXT,
    "mac" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "url" TEXT,
    "httpStatus" INTEGER,
    "rawExcerpt" TEXT,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "ipAddress" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInFailure" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "ipAddress" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT,
    "actorUserId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "summary" TEXT NOT NULL,
    "ipAddress" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisioningProfile" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "settingsJson" TEXT NOT NULL DEFAULT '{}',
    "adminPasswordEnc" TEXT,
    "httpPasswordEnc" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProvisioningProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhoneLogLine" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phoneId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "severity" INTEGER,
    "text" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PhoneLogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "entriesJson" TEXT NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReconcileRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_provToken_key" ON "Organization"("provToken");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_organizationId_idx" ON "User"("organizationId");

-- CreateIndex
CREATE INDEX "Customer_organizationId_name_number_idx" ON "Customer"("organizationId", "name", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_organizationId_number_key" ON "Customer"("organizationId", "number");

-- CreateIndex
CREATE INDEX "Phone_organizationId_customerId_mac_idx" ON "Phone"("organizationId", "customerId", "mac");

-- CreateIndex
CREATE INDEX "Phone_organizationId_syncStatus_mac_customerId_idx" ON "Phone"("organizationId", "syncStatus", "mac", "customerId");

-- CreateIndex
CREATE INDEX "Phone_organizationId_mac_label_serial_idx" ON "Phone"("organizationId", "mac", "label", "serial");

-- CreateIndex
CREATE INDEX "Phone_customerId_syncStatus_idx" ON "Phone"("customerId", "syncStatus");

-- CreateIndex
CREATE UNIQUE INDEX "Phone_organizationId_mac_key" ON "Phone"("organizationId", "mac");

-- CreateIndex
CREATE UNIQUE INDEX "SyncJob_phoneId_key" ON "SyncJob"("phoneId");

-- CreateIndex
CREATE INDEX "SyncJob_runAfter_idx" ON "SyncJob"("runAfter");

-- CreateIndex
CREATE INDEX "SyncJob_claimToken_idx" ON "SyncJob"("claimToken");

-- CreateIndex
CREATE INDEX "SyncJob_organizationId_runAfter_idx" ON "SyncJob"("organizationId", "runAfter");

-- CreateIndex
CREATE INDEX "SyncEvent_phoneId_createdAt_idx" ON "SyncEvent"("phoneId", "createdAt");

-- CreateIndex
CREATE INDEX "SyncEvent_organizationId_createdAt_idx" ON "SyncEvent"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");

-- CreateIndex
CREATE INDEX "SignInFailure_email_ipAddress_createdAt_idx" ON "SignInFailure"("email", "ipAddress", "createdAt");

-- CreateIndex
CREATE INDEX "SignInFailure_ipAddress_createdAt_idx" ON "SignInFailure"("ipAddress", "createdAt");

-- CreateIndex
CREATE INDEX "SignInFailure_email_createdAt_idx" ON "SignInFailure"("email", "createdAt");

-- CreateIndex
CREATE INDEX "SignInFailure_createdAt_idx" ON "SignInFailure"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_idx" ON "AuditEvent"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_action_createdAt_idx" ON "AuditEvent"("organizationId", "action", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_actorUserId_createdAt_idx" ON "AuditEvent"("organizationId", "actorUserId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProvisioningProfile_organizationId_name_key" ON "ProvisioningProfile"("organizationId", "name");

-- CreateIndex
CREATE INDEX "PhoneLogLine_phoneId_receivedAt_idx" ON "PhoneLogLine"("phoneId", "receivedAt");

-- CreateIndex
CREATE INDEX "PhoneLogLine_organizationId_idx" ON "PhoneLogLine"("organizationId");

-- CreateIndex
CREATE INDEX "ReconcileRun_organizationId_startedAt_idx" ON "ReconcileRun"("organizationId", "startedAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phone" ADD CONSTRAINT "Phone_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phone" ADD CONSTRAINT "Phone_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncJob" ADD CONSTRAINT "SyncJob_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncEvent" ADD CONSTRAINT "SyncEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningProfile" ADD CONSTRAINT "ProvisioningProfile_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhoneLogLine" ADD CONSTRAINT "PhoneLogLine_phoneId_fkey" FOREIGN KEY ("phoneId") REFERENCES "Phone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileRun" ADD CONSTRAINT "ReconcileRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
