-- DropIndex
DROP INDEX "Customer_organizationId_name_idx";

-- DropIndex
DROP INDEX "Phone_organizationId_syncStatus_idx";

-- CreateIndex
CREATE INDEX "Customer_organizationId_name_number_idx" ON "Customer"("organizationId", "name", "number");

-- CreateIndex
CREATE INDEX "Phone_organizationId_customerId_mac_idx" ON "Phone"("organizationId", "customerId", "mac");

-- CreateIndex
CREATE INDEX "Phone_organizationId_syncStatus_mac_customerId_idx" ON "Phone"("organizationId", "syncStatus", "mac", "customerId");

-- CreateIndex
CREATE INDEX "Phone_organizationId_mac_label_serial_idx" ON "Phone"("organizationId", "mac", "label", "serial");
