import "server-only";
import { createPrisma } from "./db-core";
import { env } from "./env";

const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createPrisma> };

/** The one Prisma client of the portal's server process. */
export const prisma = globalForPrisma.prisma ?? createPrisma(env.DATABASE_URL);
globalForPrisma.prisma = prisma;
