// Liveness, readiness and the shutdown flag of one portal process (web server or worker).
// No "server-only": the worker script loads it through tsx.
//
// Readiness answers "send me traffic": the database answers a trivial query within a bound, every
// migration in prisma/migrations (prisma/postgres/migrations) is applied, and the process is not shutting down. A load
// balancer polls it; a rolling restart turns it 503 first (SIGTERM), then drains.
import { readdirSync } from "node:fs";
import path from "node:path";
import { isPostgresUrl, type Db } from "./db-core";
import { logger } from "./log";
import { createDbTroubleReporter, type DbTroubleLog, type DbTroubleWords } from "./sync/db-trouble";

export type ReadinessReason = "shutting_down" | "database_unreachable" | "database_timeout" | "migrations_pending";
/** `error`: what went wrong, for the log line only (never in the public answer). */
export type Readiness = { ready: true } | { ready: false; reason: ReadinessReason; error?: unknown };

/** How long the readiness query may take before the answer is 503 `database_timeout`, ms. */
export const READINESS_DB_TIMEOUT_MS = 2_000;
/** The migrations folder of the provider DATABASE_URL names (prisma/ or prisma/postgres/). */
export const MIGRATIONS_DIR = isPostgresUrl(process.env.DATABASE_URL)
  ? path.join(process.cwd(), "prisma", "postgres", "migrations")
  : path.join(process.cwd(), "prisma", "migrations");

type HealthState = { shuttingDown: boolean; migrationsApplied: boolean };
const slot = globalThis as unknown as { __portalHealth?: HealthState };
const state: HealthState = (slot.__portalHealth ??= { shuttingDown: false, migrationsApplied: false });

/** From now on readiness answers 503 `shutting_down` (SIGTERM/SIGINT; never undone in this process). */
export function markShuttingDown(): void {
  state.shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return state.shuttingDown;
}

/** Migration folder names (`<timestamp>_<name>`) in `dir`, sorted. */
export function migrationNames(dir = MIGRATIONS_DIR): string[] {
  // Read at run time from the release's folder, never bundled (hence the ignore hint for Next's tracer).
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d/.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Migrations in `dir` that `_prisma_migrations` does not list as finished (and not rolled back);
 * all of them when the table is missing. SQL both SQLite and PostgreSQL accept.
 */
export async function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (error) {
    if (/_prisma_migrations/.test(String((error as Error)?.message))) return migrationNames(dir);
    throw error;
  }
  return migrationNames(dir).filter((name) => !applied.has(name));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether this process should get traffic. Once every migration was seen applied that is cached
 * for the life of the process (a release's migrations do not go away; a new release restarts it);
 * until then every call looks again. Errors are reasons, never exceptions.
 */
export async function checkReadiness(
  db: Db,
  opts: { timeoutMs?: number; migrationsDir?: string } = {},
): Promise<Readiness> {
  if (state.shuttingDown) return { ready: false, reason: "shutting_down" };
  const check = async (): Promise<Readiness> => {
    await db.$queryRawUnsafe("SELECT 1");
    if (!state.migrationsApplied) {
      const pending = await pendingMigrations(db, opts.migrationsDir);
      if (pending.length > 0) return { ready: false, reason: "migrations_pending" };
      state.migrationsApplied = true;
    }
    return { ready: true };
  };
  try {
    const timeoutMs = opts.timeoutMs ?? READINESS_DB_TIMEOUT_MS;
    const result = await withTimeout(check(), timeoutMs);
    if (result === "timeout") {
      return { ready: false, reason: "database_timeout", error: new Error(`the database did not answer within ${timeoutMs} ms`) };
    }
    return state.shuttingDown ? { ready: false, reason: "shutting_down" } : result;
  } catch (error) {
    return { ready: false, reason: "database_unreachable", error };
  }
}

const READINESS_WORDS: DbTroubleWords = {
  prefix: "not ready: ",
  endPrefix: "ready again: ",
  counted: "readiness checks answered 503",
  retrying: "readiness answers 503 until it is over",
  level: "warn",
};

/**
 * What a readiness answer writes to the log (lib/sync/db-trouble.ts's reporter, the same rhythm as
 * the worker's): the first 503 with its cause ("password authentication failed for user …"), then at
 * most one line per `everyMs` with the count, one line when ready again. A balancer probing once a
 * second would otherwise write a line a second. Shutting down is not trouble: nothing is written.
 */
export function createReadinessReporter(opts: {
  log: DbTroubleLog;
  everyMs?: number;
  now?: () => number;
}): (readiness: Readiness) => void {
  const trouble = createDbTroubleReporter({ ...opts, words: READINESS_WORDS });
  return (readiness) => {
    if (readiness.ready) return trouble.succeeded();
    if (readiness.reason === "shutting_down") return;
    if (readiness.reason === "migrations_pending") {
      return trouble.failed(new Error("run `npm run db:deploy` (prisma migrate deploy)"), { what: "migrations pending" });
    }
    trouble.failed(readiness.error ?? readiness.reason, readiness.reason === "database_timeout" ? { what: "database too slow" } : {});
  };
}

const reporterSlot = globalThis as unknown as { __portalReadinessReport?: (readiness: Readiness) => void };

/** The web server's readiness reporter (one per process), writing through lib/log.ts. */
export function reportReadiness(readiness: Readiness): void {
  reporterSlot.__portalReadinessReport ??= createReadinessReporter({
    log: (line, fields) => {
      const log = logger.child({ component: "readiness" });
      if (fields?.level === "warn") log.warn(line);
      else if (fields?.level === "error") log.error(line);
      else log.info(line);
    },
  });
  reporterSlot.__portalReadinessReport(readiness);
}

/**
 * The worker's health port (`npm run worker -- --health-port 9101`): GET /api/health/live and
 * GET /api/health/ready, the same paths and answers as the web server's. Anything else 404;
 * request bodies are not read. Resolves with the bound port (0 picks a free one).
 */
export async function startHealthServer(opts: {
  db: Db;
  port: number;
  host?: string;
}): Promise<{ port: number; close: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(body));
    };
    const url = (req.url ?? "").split("?")[0];
    if (req.method !== "GET") return send(405, { status: "method_not_allowed" });
    if (url === "/api/health/live") return send(200, { status: "ok" });
    if (url === "/api/health/ready") {
      void checkReadiness(opts.db).then((r) =>
        r.ready ? send(200, { status: "ready" }) : send(503, { status: "unavailable", reason: r.reason }),
      );
      return;
    }
    send(404, { status: "not_found" });
  });
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  server.unref();
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : opts.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
