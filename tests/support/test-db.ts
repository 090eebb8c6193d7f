import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

/** A fresh SQLite file built from the committed migrations (the same SQL `migrate deploy` applies). */
export function createTestDatabase(prefix = "portal-test-"): { url: string; file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, "portal.db");
  const db = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => /^\d/.test(d)).sort()) {
    db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  }
  db.pragma("journal_mode = WAL");
  db.close();
  return { url: `file:${file}`, file, dir };
}
