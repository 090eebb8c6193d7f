// The migration step of `npm start`: apply pending migrations without tripping over other processes
// that hold the database open. Plain Node plus better-sqlite3 (installed by then).
//
// Why not simply `prisma migrate deploy` every time: Prisma's schema engine opens the database with
// `PRAGMA locking_mode=EXCLUSIVE`, which fails (after better-sqlite3's 5 s busy timeout, as a wasm
// "unknown variant `SocketTimeout`" error) whenever any other connection has the file open: a
// running `npm run worker`, a second portal, even an idle `sqlite3 data/portal.db` shell. On a
// normal restart nothing is pending, so we read `_prisma_migrations` read-only first and skip the
// engine entirely; only a real upgrade needs the exclusive lock, and then we retry with backoff and
// say which kind of process to stop.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { wantsJsonLogs, writeWrapped } from "./json-lines.mjs";

const require = createRequire(import.meta.url);

/**
 * Migrations in `migrationsDir` (folders holding a `migration.sql`, sorted by name) that the database
 * at `dbFile` has not applied: no `_prisma_migrations` row with that name that finished and was not
 * rolled back, or one whose checksum (sha256 hex of the file, as Prisma writes it) differs.
 * A missing file or table means every migration is pending. Opens the file read-only with a busy
 * timeout, so it works while a worker writes (WAL) or a shell holds a read transaction.
 * @returns {{ pending: string[], total: number }}
 */
export function pendingMigrations(dbFile, migrationsDir) {
  const all = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  if (!existsSync(dbFile)) return { pending: all, total: all.length };

  const Database = require("better-sqlite3");
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!table) return { pending: all, total: all.length };
    const applied = new Map(
      db
        .prepare(
          "SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
        )
        .all()
        .map((r) => [r.name, r.checksum]),
    );
    const pending = all.filter((name) => {
      const sum = createHash("sha256")
        .update(readFileSync(path.join(migrationsDir, name, "migration.sql")))
        .digest("hex");
      return applied.get(name) !== sum;
    });
    return { pending, total: all.length };
  } finally {
    db.close();
  }
}

/** The engine's error when another connection holds the file (exclusive locking mode, SQLITE_BUSY). */
export function isDatabaseBusyOutput(output) {
  return /SocketTimeout|SQLITE_BUSY|database is locked/i.test(output);
}

/**
 * Bring the database at `url` (a SQLite `file:` URL, relative to the working directory) up to date.
 * Nothing pending: returns at once without starting Prisma. Pending: `prisma migrate deploy`; when it
 * fails because another process holds the database, waits 1 s, 2 s, 4 s … (capped at 8 s) until
 * `maxWaitMs` (default 60 s) have passed, telling the user what is in the way each time.
 * @param {{ url: string, migrationsDir?: string, maxWaitMs?: number, log?: (msg: string) => void }} opts
 * @returns {Promise<{ ok: true, applied: string[], skipped: boolean } | { ok: false, error: string }>}
 * `applied` lists the migrations that were pending (empty when the table could not be read first).
 */
export async function migrateDatabase({
  url,
  migrationsDir = path.resolve("prisma/migrations"),
  maxWaitMs = 60_000,
  log = console.log,
}) {
  const file = path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
  let pending;
  try {
    ({ pending } = pendingMigrations(file, migrationsDir));
  } catch (e) {
    // Unreadable for us (locked beyond the busy timeout, not a database): let Prisma try and report.
    log(`Could not read the applied migrations (${e instanceof Error ? e.message : e}); running prisma migrate deploy`);
    pending = null;
  }
  if (pending && pending.length === 0) {
    log(`Database ${url} is up to date (no pending migration)`);
    return { ok: true, applied: [], skipped: true };
  }
  log(
    pending
      ? `Applying ${pending.length} migration${pending.length === 1 ? "" : "s"} to ${url}: ${pending.join(", ")}`
      : `Applying pending migrations to ${url}`,
  );
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status === 0) {
      log(`Migrations applied`);
      return { ok: true, applied: pending ?? [], skipped: false };
    }
    if (!isDatabaseBusyOutput(output)) {
      if (wantsJsonLogs()) writeWrapped(output, { source: "prisma", stream: "stderr", out: process.stderr });
      else process.stderr.write(output);
      return { ok: false, error: `prisma migrate deploy failed (exit ${r.status ?? r.signal}); see the output above.` };
    }
    const waited = Date.now() - started;
    const busy =
      "another process has the database open (a running `npm run worker`, another `npm start`, or a `sqlite3` shell)";
    if (waited >= maxWaitMs) {
      return {
        ok: false,
        error: `Could not apply the pending migrations: ${busy} and applying migrations needs it alone. Stop those processes, then run npm start again.`,
      };
    }
    const delay = Math.min(8000, 1000 * 2 ** (attempt - 1), Math.max(0, maxWaitMs - waited));
    log(`Waiting for the database: ${busy}; retrying in ${(delay / 1000).toFixed(0)} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
