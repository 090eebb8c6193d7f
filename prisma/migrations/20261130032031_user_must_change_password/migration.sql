-- AlterTable
-- A plain ADD COLUMN instead of Prisma's table rebuild: same resulting schema, and the rebuild's
-- DROP TABLE "User" would risk cascading to AuthSession where foreign keys stay on.
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
