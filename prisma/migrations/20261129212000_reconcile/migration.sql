-- AlterTable
ALTER TABLE "Phone" ADD COLUMN "ownerCheckedAt" DATETIME;

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "entriesJson" TEXT NOT NULL DEFAULT '[]',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "ReconcileRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AddColumns (plain ALTERs, not a table rebuild, so parallel migrations on Organization merge cleanly)
ALTER TABLE "Organization" ADD COLUMN "reconcileEveryHours" INTEGER NOT NULL DEFAULT 24;
ALTER TABLE "Organization" ADD COLUMN "reconcileLastAt" DATETIME;

-- CreateIndex
CREATE INDEX "ReconcileRun_organizationId_startedAt_idx" ON "ReconcileRun"("organizationId", "startedAt");
