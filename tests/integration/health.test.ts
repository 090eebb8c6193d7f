// Readiness of a portal process (lib/health.ts) against real databases built from the migrations.
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db-core";
import {
  checkReadiness,
  createReadinessReporter,
  markShuttingDown,
  migrationNames,
  pendingMigrations,
} from "@/lib/health";
import { createTestDatabase } from "../support/test-db";
import { closedPort } from "../support/ports";

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

  // Before the shutdown test, after the migrations ones (readiness caches "migrations applied").
  it("what its answers write to the log (walkthrough 6b, point 3): the first 503 with the database's short cause, then one line per interval with the count, one when ready again", async () => {
    const down = open(`postgresql://portal:not-the-password@127.0.0.1:${await closedPort()}/portal`);
    const up = open(process.env.DATABASE_URL!);
    const lines: { line: string; level: string }[] = [];
    let now = 1_000_000;
    const report = createReadinessReporter({
      log: (line, fields) => lines.push({ line, level: fields?.level ?? "info" }),
      now: () => now,
    });
    // A balancer probing once a second for 65 s.
    for (let s = 0; s < 65; s++) {
      const readiness = await checkReadiness(down);
      expect(readiness).toMatchObject({ ready: false, reason: "database_unreachable" });
      report(readiness);
      now += 1_000;
    }
    report(await checkReadiness(up));
    expect(lines.map((l) => l.level)).toEqual(["warn", "warn", "warn", "info"]);
    expect(lines[0].line).toMatch(
      /^not ready: database unreachable: .*(Can't reach database server|ECONNREFUSED).* \(readiness answers 503 until it is over; next report in 30 s\)$/,
    );
    expect(lines[1].line).toMatch(/^not ready: database unreachable for 30 s, 31 readiness checks answered 503: /);
    expect(lines[2].line).toMatch(/^not ready: database unreachable for 60 s, 61 readiness checks answered 503: /);
    expect(lines[3].line).toBe("ready again: database reachable again after 65 s (65 readiness checks answered 503)");
    expect(lines.map((l) => l.line).join("\n")).not.toContain("not-the-password");
  });

  it("is ready once every migration is applied, and 'shutting_down' from the shutdown signal on", async () => {
    const db = open(process.env.DATABASE_URL!);
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await checkReadiness(db)).toEqual({ ready: true });
    markShuttingDown();
    expect(await checkReadiness(db)).toEqual({ ready: false, reason: "shutting_down" });
  });
});
