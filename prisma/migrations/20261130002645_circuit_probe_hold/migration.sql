-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "circuitProbeHeldUntil" DATETIME;
