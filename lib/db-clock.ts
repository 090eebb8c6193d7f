// The database's clock: lease times, due times and probe times are compared with it, never with the
// clock of the machine a worker or an app instance runs on (those drift apart; the database is the
// one clock every process shares). No "server-only": the worker script loads it.
import { Prisma } from "./generated/prisma/client";

type Querier = { $queryRaw: <T>(query: Prisma.Sql) => PromiseLike<T> };

/**
 * Whether this client (or interactive transaction) talks to PostgreSQL. The one place that tells
 * the two SQL dialects apart at run time (Prisma's own `_activeProvider`, present on both).
 */
export function isPostgresClient(db: object): boolean {
  return (db as { _activeProvider?: string })._activeProvider === "postgresql";
}

/**
 * The database server's current time, to the millisecond.
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
