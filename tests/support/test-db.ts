import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import Database from "better-sqlite3";

/** Prisma's own bookkeeping table, as `migrate deploy` creates it on SQLite. */
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
  "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

/**
 * The suites run on SQLite, or on PostgreSQL when `TEST_POSTGRES_URL` names a server's admin URL
 * (postgresql://postgres@127.0.0.1:PORT/postgres; `npm test` starts one: scripts/test.mjs).
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || undefined;
export const onPostgres = !!TEST_POSTGRES_URL;
/** Database every PostgreSQL test database is copied from (built once per run by tests/support/pg-template.ts). */
export const PG_TEMPLATE = "portal_test_template";

function pgUrl(admin: string, database: string): string {
  const u = new URL(admin);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run SQL on the server's `postgres` database with psql (synchronous, as test setup needs). */
export function pgAdmin(sql: string): void {
  execFileSync("psql", [TEST_POSTGRES_URL!, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * A fresh database built from the committed migrations (the same SQL `migrate deploy` applies):
 * a SQLite file, or on PostgreSQL a copy of the migrated template database.
 * `file` is the SQLite file ("" on PostgreSQL); `dir` a fresh folder for the test's other files.
 */
export function createTestDatabase(prefix = "portal-test-"): { url: string; file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (TEST_POSTGRES_URL) {
    const name = `portal_t_${randomBytes(6).toString("hex")}`;
    pgAdmin(`CREATE DATABASE "${name}" TEMPLATE "${PG_TEMPLATE}"`);
    return { url: pgUrl(TEST_POSTGRES_URL, name), file: "", dir };
  }
  const file = path.join(dir, "portal.db");
  const db = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
  // Recorded as `migrate deploy` records them, so readiness (lib/health.ts) sees none pending.
  db.exec(PRISMA_MIGRATIONS_TABLE);
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)`,
  );
  for (const m of readdirSync(migrations).filter((d) => /^\d/.test(d)).sort()) {
    const sql = readFileSync(path.join(migrations, m, "migration.sql"), "utf8");
    db.exec(sql);
    record.run(randomUUID(), createHash("sha256").update(sql).digest("hex"), m);
  }
  db.pragma("journal_mode = WAL");
  db.close();
  return { url: `file:${file}`, file, dir };
}

/**
 * Everything stored in the database at `url`, as bytes: the SQLite file, or on PostgreSQL a
 * data-only `pg_dump` (for "no secret is stored in clear" checks).
 */
export function storedBytes(url: string): Buffer {
  if (url.startsWith("file:")) return readFileSync(path.resolve(url.slice("file:".length).replace(/\?.*$/, "")));
  return execFileSync("pg_dump", ["--data-only", url], { maxBuffer: 512 * 1024 * 1024 });
}
