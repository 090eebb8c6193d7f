// Readiness of a portal process (lib/health.ts) against real databases built from the migrations.
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db-core";
import { checkReadiness, markShuttingDown, migrationNames, pendingMigrations } from "@/lib/health";
import { createTestDatabase } from "../support/test-db";

const clients: ReturnType<typeof createPrisma>[] = [];
function open(url: string) {
  const db = createPrisma(url);
  clients.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

describe("readiness", () => {
  it("is 'migrations_pending' while a migration folder has no finished row, and names it", async () => {
    const { url } = createTestDatabase();
    const last = migrationNames().at(-1)!;
    const db = open(url);
    await db.$executeRaw`DELETE FROM "_prisma_migrations" WHERE "migration_name" = ${last}`;
    expect(await pendingMigrations(db)).toEqual([last]);
    expect(await checkReadiness(db)).toEqual({ ready: false, reason: "migrations_pending" });
  });

  it("is 'migrations_pending' on a database that was never migrated (no _prisma_migrations table)", async () => {
    const dir = createTestDatabase().dir;
    const db = open(`file:${dir}/empty.db`);
    expect(await pendingMigrations(db)).toEqual(migrationNames());
    expect(await checkReadiness(db)).toEqual({ ready: false, reason: "migrations_pending" });
  });

  it("is ready once every migration is applied, and 'shutting_down' from the shutdown signal on", async () => {
    const db = open(process.env.DATABASE_URL!);
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await checkReadiness(db)).toEqual({ ready: true });
    markShuttingDown();
    expect(await checkReadiness(db)).toEqual({ ready: false, reason: "shutting_down" });
  });
});
