import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { withShadowScriptFix } from "./prisma/migrate-dev-shim";

// Prisma skips .env when a config file exists: load it ourselves (Node >= 20.12).
try {
  process.loadEnvFile(".env");
} catch {
  /* no .env: the real environment is used */
}

const url = process.env.DATABASE_URL ?? "file:./data/portal.db";
// The adapter opens the file at once (even for `migrate diff`): its folder must exist on a fresh clone.
mkdirSync(path.dirname(path.resolve(url.replace(/^file:/, ""))), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  // The shim lets `migrate diff --from-migrations` replay migrations on the shadow database.
  adapter: async () =>
    withShadowScriptFix(new PrismaBetterSQLite3({ url }, { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL })),
});
