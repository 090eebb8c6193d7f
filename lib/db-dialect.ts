// The few things SQLite and PostgreSQL spell differently, in one place: the database's clock and a
// lock held until the transaction ends (docs/decisions/0015-concurrency.md). No "server-only": the
// worker script and the CLI load it.
import { createHash } from "node:crypto";
import { Prisma } from "./generated/prisma/client";

type Querier = { $queryRaw: <T>(query: Prisma.Sql) => PromiseLike<T> };
type Executor = { $executeRaw: (query: Prisma.Sql) => PromiseLike<number> };

/**
 * Whether this client (or interactive transaction) talks to PostgreSQL. The one place that tells
 * the two SQL dialects apart at run time (Prisma's own `_activeProvider`, present on both).
 */
export function isPostgresClient(db: object): boolean {
  return (db as { _activeProvider?: string })._activeProvider === "postgresql";
}

/**
 * The database's clock: lease times, due times and probe times are compared with it, never with the
 * clock of the machine a worker or an app instance runs on (those drift apart; the database is the
 * one clock every process shares). The server's current time, to the millisecond.
 * - PostgreSQL: `clock_timestamp()` (the real time, also inside a transaction, where
 *   CURRENT_TIMESTAMP would be the transaction's start), a timestamptz read as a Date.
 * - SQLite: `strftime('%Y-%m-%dT%H:%M:%fZ','now')`, ISO 8601 UTC text. The value goes back into
 *   queries as a bound Date, which the better-sqlite3 adapter writes in Prisma's own format
 *   (`…T…+00:00`), so it never meets SQLite's text formats in a comparison. SQLite runs in-process:
 *   this is the machine's clock, shared by every process on it.
 */
export async function databaseNow(db: Querier): Promise<Date> {
  if (isPostgresClient(db)) {
    const rows = await db.$queryRaw<{ now: Date }[]>(Prisma.sql`SELECT clock_timestamp() AS "now"`);
    return new Date(rows[0].now);
  }
  const rows = await db.$queryRaw<{ now: string }[]>(Prisma.sql`SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "now"`);
  return new Date(rows[0].now);
}

/**
 * Takes the lock named `name` for the rest of the interactive transaction `tx` (released by its
 * commit or rollback): a "check, then write" after it sees everything an earlier holder committed,
 * and a concurrent one waits instead of acting on a stale check. Names carry the organization id
 * when the check is within one organization (every lock keyed by organization).
 * - PostgreSQL: `pg_advisory_xact_lock(key)`, key = the first 8 bytes of sha256(name). The
 *   transaction stays READ COMMITTED, so each statement after the lock sees the winner's rows.
 *   (Not SERIALIZABLE: when Prisma 6.19.3's COMMIT fails with 40001 the transaction's connection is
 *   never handed back to adapter-pg's pool, and the pool runs dry.)
 * - SQLite: one writer per database, so the lock is the database's write lock, taken now by a write
 *   that changes nothing (as BEGIN IMMEDIATE would) before anything is read: waits up to the busy
 *   timeout for another writer, and never fails later on a stale read (SQLITE_BUSY_SNAPSHOT).
 */
export async function lockInTransaction(tx: Executor & object, name: string): Promise<void> {
  if (isPostgresClient(tx)) {
    const key = createHash("sha256").update(name).digest().readBigInt64BE(0);
    await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(${key}::bigint)`);
    return;
  }
  await tx.$executeRaw(Prisma.sql`UPDATE "Organization" SET "id" = "id" WHERE 1 = 0`);
}
