// No "server-only" here: scripts (seed, worker, benchmarks) and tests import it directly.
import path from "node:path";
import { mkdirSync } from "node:fs";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";

/** The SQLite file a `file:` URL points at, relative to the working directory. */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/** Folder that holds the database, the session secret and the credentials key. */
export function dataDir(url: string): string {
  return path.dirname(sqliteFilePath(url));
}

/** `onQuery` sees every SQL statement with its parameters (query-plan tests and benchmarks). */
export function createPrisma(url: string, opts: { onQuery?: (sql: string, params: string) => void } = {}) {
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  // WAL lets the web server and separate worker processes read while one writes.
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.close();
  const adapter = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 });
  const client = new PrismaClient({
    adapter,
    log: [{ emit: "event" as const, level: "query" as const }].filter(() => !!opts.onQuery),
    // Secrets never leave the server by accident: opt in with an explicit select.
    omit: {
      user: { passwordHash: true },
      organization: { rdsPasswordEnc: true, provPasswordEnc: true },
      provisioningProfile: { adminPasswordEnc: true, httpPasswordEnc: true },
      phone: { provOverridesEnc: true },
    },
  });
  const onQuery = opts.onQuery;
  if (onQuery) client.$on("query", (e) => onQuery(e.query, e.params));
  return client;
}

export type Db = ReturnType<typeof createPrisma>;
