// SQLite-only optimisation (docs/decisions/0011-scale.md): keep the query planner's statistics
// (sqlite_stat1) current. Without them SQLite guesses, and with 100 000 phones it guesses wrong:
// e.g. it walks the (organizationId, mac) index of every phone to find one customer's 47.
// PostgreSQL's autovacuum keeps its own statistics; there this is a no-op.
// No analysis_limit: sampled statistics only see the first rows of each index (one organization,
// one status) and mislead the planner. A full ANALYZE of 100 000 phones and 300 000 events takes
// well under a second, and `optimize` only repeats it for tables whose size changed about 25-fold.
// No "server-only": the worker process and tests use it too.
import type { Db } from "./db-core";
import { logger } from "./log";

/** How often the portal process re-checks its statistics. */
export const OPTIMIZE_EVERY_MS = 60 * 60_000;
/** An import that creates at least this many phones refreshes the statistics right away. */
export const OPTIMIZE_AFTER_IMPORT_ROWS = 1000;

function isSqlite(databaseUrl: string | undefined): boolean {
  return !databaseUrl || databaseUrl.startsWith("file:");
}

/**
 * `PRAGMA optimize = 0x10002` on the given client: checks every table, not only those this
 * connection queried, and runs ANALYZE on those without statistics or whose size changed about
 * 25-fold since (SQLite's recommendation for long-lived connections). Cheap when nothing changed.
 * Never throws: statistics are an optimisation, a failure is logged.
 */
export async function optimizeDatabase(db: Db, opts: { databaseUrl?: string } = {}): Promise<void> {
  if (!isSqlite(opts.databaseUrl ?? process.env.DATABASE_URL)) return;
  try {
    await db.$queryRawUnsafe("PRAGMA optimize = 0x10002");
  } catch (e) {
    logger.error({ err: e }, "db: PRAGMA optimize failed");
  }
}
