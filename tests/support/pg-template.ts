// Vitest global setup: on PostgreSQL (TEST_POSTGRES_URL set), build the template database every test
// database is copied from, once per run, with the real `prisma migrate deploy` (so `_prisma_migrations`
// is what a deployment has and readiness sees nothing pending). Nothing on SQLite.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { PG_TEMPLATE, TEST_POSTGRES_URL, pgAdmin } from "./test-db";

export function setup() {
  if (!TEST_POSTGRES_URL) return;
  pgAdmin(`DROP DATABASE IF EXISTS "${PG_TEMPLATE}" WITH (FORCE)`);
  pgAdmin(`CREATE DATABASE "${PG_TEMPLATE}"`);
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${PG_TEMPLATE}`;
  const root = path.resolve(import.meta.dirname, "../..");
  execFileSync("node", ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: u.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
