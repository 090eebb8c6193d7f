-- Circuit breaker state of each organization's redirection account (issue 10). Plain ADD COLUMN
-- (no table rebuild) so columns other migrations add to Organization are kept.
ALTER TABLE "Organization" ADD COLUMN "circuitOpenedAt" DATETIME;
ALTER TABLE "Organization" ADD COLUMN "circuitNextProbeAt" DATETIME;
ALTER TABLE "Organization" ADD COLUMN "circuitLastError" TEXT;
ALTER TABLE "Organization" ADD COLUMN "circuitProbes" INTEGER NOT NULL DEFAULT 0;
