// No "server-only" here: scripts (seed, worker, benchmarks) and tests import it directly.
import path from "node:path";
import { mkdirSync } from "node:fs";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/prisma-pg/client";

/** Whether `url` names a PostgreSQL database (`postgresql://` or `postgres://`); anything else is SQLite. */
export function isPostgresUrl(url: string | undefined): boolean {
  return /^postgres(ql)?:\/\//i.test(url ?? "");
}

/** The SQLite file a `file:` URL points at, relative to the working directory. */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/**
 * Folder of this instance's local files (the sandbox's address, generated secrets on SQLite): the
 * SQLite file's folder, or `PORTAL_DATA_DIR` (default `./data`) when the database is PostgreSQL.
 */
export function dataDir(url: string): string {
  if (isPostgresUrl(url)) return path.resolve(process.env.PORTAL_DATA_DIR ?? "data");
  return path.dirname(sqliteFilePath(url));
}

// Secrets never leave the server by accident: opt in with an explicit select.
const OMIT = {
  user: { passwordHash: true },
  organization: { rdsPasswordEnc: true, provPasswordEnc: true },
  provisioningProfile: { adminPasswordEnc: true, httpPasswordEnc: true },
  phone: { provOverridesEnc: true },
} as const;

/** Connections each process keeps to PostgreSQL (pg's pool size); `DATABASE_POOL_SIZE`, default 10. */
function poolSize(): number {
  const n = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 10;
}

/**
 * The Prisma client for `url`: SQLite through better-sqlite3 (`file:…`), PostgreSQL through pg
 * (`postgresql://…`). The two generated clients have the same model API (both come from
 * prisma/schema.prisma: scripts/pg-schema.mjs), so the PostgreSQL one is typed as the SQLite one;
 * code keeps to what both providers accept (docs/decisions/0014-postgresql.md).
 * `onQuery` sees every SQL statement with its parameters (query-plan tests and benchmarks).
 */
export function createPrisma(url: string, opts: { onQuery?: (sql: string, params: string) => void } = {}) {
  const log = [{ emit: "event" as const, level: "query" as const }].filter(() => !!opts.onQuery);
  let client: PrismaClient<"query", typeof OMIT>;
  if (isPostgresUrl(url)) {
    const adapter = new PrismaPg({ connectionString: url, max: poolSize(), connectionTimeoutMillis: 10_000 });
    client = new PostgresPrismaClient({ adapter, log, omit: OMIT }) as unknown as PrismaClient<"query", typeof OMIT>;
  } else {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    // WAL lets the web server and separate worker processes read while one writes.
    const raw = new Database(file);
    raw.pragma("journal_mode = WAL");
    raw.close();
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 });
    client = new PrismaClient({ adapter, log, omit: OMIT });
  }
  const onQuery = opts.onQuery;
  if (onQuery) client.$on("query", (e) => onQuery(e.query, e.params));
  return client;
}

export type Db = ReturnType<typeof createPrisma>;
