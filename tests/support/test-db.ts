import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import Database from "better-sqlite3";

/** Prisma's own bookkeeping table, as `migrate deploy` creates it on SQLite. */
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
  "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

/** A fresh SQLite file built from the committed migrations (the same SQL `migrate deploy` applies). */
export function createTestDatabase(prefix = "portal-test-"): { url: string; file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
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
