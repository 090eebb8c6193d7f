-- AlterTable
ALTER TABLE "Phone" ADD COLUMN     "importBatchId" TEXT;

-- CreateIndex
CREATE INDEX "Phone_importBatchId_syncStatus_idx" ON "Phone"("importBatchId", "syncStatus");

-- Walkthrough 4: sync errors stored before read "XML-RPC fault -32500: …", and every screen now says
-- "Fault -32500: …" as the phone history does (lib/redirection/outcome-words.ts, faultMessage).
-- (No semicolon in comments: adapter-pg splits a migration at each, see scripts/check-migrations.mjs.)
UPDATE "Phone" SET "lastErrorText" = 'Fault ' || substr("lastErrorText", 15) WHERE "lastErrorText" LIKE 'XML-RPC fault %';
UPDATE "Organization" SET "circuitLastError" = 'Fault ' || substr("circuitLastError", 15) WHERE "circuitLastError" LIKE 'XML-RPC fault %';
