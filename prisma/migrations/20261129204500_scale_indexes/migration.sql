-- DropIndex
DROP INDEX "Phone_organizationId_syncStatus_idx";

-- CreateIndex
CREATE INDEX "Phone_organizationId_customerId_mac_idx" ON "Phone"("organizationId", "customerId", "mac");

-- CreateIndex
CREATE INDEX "Phone_organizationId_syncStatus_mac_idx" ON "Phone"("organizationId", "syncStatus", "mac");
