import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { withShadowScriptFix } from "./prisma/migrate-dev-shim";
import { prismaPgForCli } from "./prisma/pg-cli-shim";

// Prisma skips .env when a config file exists: load it ourselves (Node >= 20.12).
try {
  process.loadEnvFile(".env");
} catch {
  /* no .env: the real environment is used */
}

// The DATABASE_URL scheme picks the provider: prisma/ (SQLite, the default) or prisma/postgres/
// (generated from it by scripts/pg-schema.mjs; docs/decisions/0014-postgresql.md).
const url = process.env.DATABASE_URL ?? "file:./data/portal.db";
const isPostgres = /^postgres(ql)?:\/\//i.test(url);
const dir = isPostgres ? path.join("prisma", "postgres") : "prisma";
// The SQLite adapter opens the file at once (even for `migrate diff`): its folder must exist on a fresh clone.
if (!isPostgres) mkdirSync(path.dirname(path.resolve(url.replace(/^file:/, ""))), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations"), seed: "tsx prisma/seed.ts" },
  adapter: async () =>
    isPostgres
      ? prismaPgForCli(url) // adapter-pg 6.19.3 needs three fixes for CLI use (prisma/pg-cli-shim.ts)
      : // The shim lets `migrate diff --from-migrations` replay migrations on the shadow database.
        withShadowScriptFix(new PrismaBetterSQLite3({ url }, { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL })),
});
