// `npm run db:new-migration -- <snake_case_name>`: after editing prisma/schema.prisma, writes the
// migration for both providers without applying it (review them, then `npm run db:deploy`):
//   prisma/migrations/<stamp>_<name>/migration.sql            (SQLite, the hand-edited schema)
//   prisma/postgres/migrations/<stamp>_<name>/migration.sql   (PostgreSQL, from the derived schema)
// Each is the diff from that folder's migration history to its schema. `prisma migrate dev` does not
// work with the wasm engine here; the PostgreSQL diff replays the history on a shadow database, so it
// needs a PostgreSQL server: $PG_ADMIN_URL, or a throw-away one from Debian's packages
// (scripts/lib/pg-server.mjs). The diff goes to a temp file first: an empty folder inside a
// migrations folder breaks Prisma.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivePgSchema } from "./pg-schema.mjs";
import { startPostgres } from "./lib/pg-server.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
writeFileSync("prisma/postgres/schema.prisma", derivePgSchema(readFileSync("prisma/schema.prisma", "utf8")));

/** The SQL from `migrations` to `schema`, or null when they match. */
function diff(migrations, schema, env) {
  const tmp = path.join(mkdtempSync(path.join(tmpdir(), "migration-")), "migration.sql");
  try {
    // --exit-code: 0 = no difference, 2 = difference written, 1 = error
    execFileSync(
      "node",
      ["node_modules/prisma/build/index.js", "migrate", "diff", "--exit-code", "--from-migrations", migrations,
        "--to-schema-datamodel", schema, "--script", "-o", tmp],
      { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } },
    );
    return null;
  } catch (e) {
    if (e.status !== 2) process.exit(e.status ?? 1);
    return readFileSync(tmp, "utf8");
  } finally {
    rmSync(path.dirname(tmp), { recursive: true, force: true });
  }
}

const sqlite = diff("prisma/migrations", "prisma/schema.prisma", { DATABASE_URL: "file:./data/portal.db" });
let server = null;
let pgUrl = process.env.PG_ADMIN_URL;
if (!pgUrl) {
  server = startPostgres();
  pgUrl = server.url;
}
let postgres;
try {
  postgres = diff("prisma/postgres/migrations", "prisma/postgres/schema.prisma", { DATABASE_URL: pgUrl });
} finally {
  server?.stop();
}
if (!sqlite && !postgres) {
  console.log("No schema change: nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const [root, sql] of [["prisma/migrations", sqlite], ["prisma/postgres/migrations", postgres]]) {
  if (!sql) continue;
  const dir = path.join(root, `${stamp}_${name}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Wrote ${dir}/migration.sql:\n\n${sql}`);
}
