-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "circuitProbeHeldUntil" TIMESTAMPTZ(3);
