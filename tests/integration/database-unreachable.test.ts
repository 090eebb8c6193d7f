// Pages tell the user the database is unreachable (lib/database-unreachable.ts) instead of a bare
// "something went wrong": real Prisma clients, one on a PostgreSQL URL to a closed loopback port.
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db-core";
import {
  DATABASE_UNREACHABLE_DIGEST,
  DatabaseUnreachableError,
  isDatabaseUnreachableError,
  readingDatabase,
} from "@/lib/database-unreachable";
import { closedPort } from "../support/ports";

const clients: ReturnType<typeof createPrisma>[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

describe("an unreachable database", () => {
  it("a refused connection becomes DatabaseUnreachableError with the digest the error pages read", async () => {
    const db = createPrisma(`postgresql://portal:pw@127.0.0.1:${await closedPort()}/portal`);
    clients.push(db);
    const error = await readingDatabase(() => db.user.count()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).digest).toBe(DATABASE_UNREACHABLE_DIGEST);
    expect((error as Error).message).toMatch(/^database unreachable: .*Can't reach database server/);
    expect((error as Error).message).not.toContain("pw@");
  });

  it.runIf(!!process.env.TEST_POSTGRES_URL)(
    "on PostgreSQL, a database that does not exist counts as unreachable",
    async () => {
      const url = new URL(process.env.TEST_POSTGRES_URL!);
      url.pathname = "/no_such_database_here";
      const db = createPrisma(url.toString());
      clients.push(db);
      const error = await readingDatabase(() => db.user.count()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect((error as Error).message).toMatch(/no_such_database_here. does not exist/);
    },
  );

  it("a query's own error is rethrown as it is", async () => {
    const db = createPrisma(process.env.DATABASE_URL!);
    clients.push(db);
    const error = await readingDatabase(() => db.$queryRawUnsafe("SELECT * FROM no_such_table")).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(DatabaseUnreachableError);
    expect(isDatabaseUnreachableError(error)).toBe(false);
    expect(await readingDatabase(() => db.user.count())).toBeGreaterThanOrEqual(0);
  });
});
