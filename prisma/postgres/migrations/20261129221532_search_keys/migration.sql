-- DropIndex
DROP INDEX "Customer_organizationId_name_number_idx";

-- DropIndex
DROP INDEX "Phone_organizationId_mac_label_serial_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "searchKey" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "contactKey" TEXT,
ADD COLUMN     "nameKey" TEXT,
ADD COLUMN     "numberKey" TEXT;

-- AlterTable
ALTER TABLE "Phone" ADD COLUMN     "searchKey" TEXT;

-- CreateIndex
CREATE INDEX "Customer_organizationId_name_number_nameKey_numberKey_idx" ON "Customer"("organizationId", "name", "number", "nameKey", "numberKey");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_organizationId_numberKey_key" ON "Customer"("organizationId", "numberKey");

-- CreateIndex
CREATE INDEX "Phone_organizationId_mac_searchKey_customerId_idx" ON "Phone"("organizationId", "mac", "searchKey", "customerId");
