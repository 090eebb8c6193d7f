// Vitest global setup: on PostgreSQL (TEST_POSTGRES_URL set), build the template database every test
// database is copied from, once per run, from prisma/postgres/migrations. Nothing on SQLite.
import { readdirSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { PG_TEMPLATE, TEST_POSTGRES_URL, pgAdmin } from "./test-db";

export function setup() {
  if (!TEST_POSTGRES_URL) return;
  pgAdmin(`DROP DATABASE IF EXISTS "${PG_TEMPLATE}" WITH (FORCE)`);
  pgAdmin(`CREATE DATABASE "${PG_TEMPLATE}"`);
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${PG_TEMPLATE}`;
  const migrations = path.resolve(import.meta.dirname, "../../prisma/postgres/migrations");
  for (const m of readdirSync(migrations).filter((d) => /^\d/.test(d)).sort()) {
    execFileSync("psql", [u.toString(), "-v", "ON_ERROR_STOP=1", "-q", "-f", path.join(migrations, m, "migration.sql")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
