// `npm run db:check-migrations`: fails when a migrations folder does not produce its schema, or when
// prisma/postgres/schema.prisma is not derived from prisma/schema.prisma. The PostgreSQL check
// replays the history on a shadow database: it uses $PG_ADMIN_URL, or starts a throw-away server
// from Debian's packages (scripts/lib/pg-server.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { startPostgres } from "./lib/pg-server.mjs";

function check(label, args, env) {
  const r = spawnSync("node", ["node_modules/prisma/build/index.js", "migrate", "diff", ...args, "--exit-code"], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) {
    console.error(`✗ ${label}: the migrations do not match the schema (exit ${r.status}).\n${r.stdout}\nWrite the missing migration: npm run db:new-migration -- <name>`);
    process.exit(1);
  }
  console.log(`✓ ${label}: migrations match the schema`);
}

// adapter-pg 6.19's executeScript (what `migrate deploy` runs on PostgreSQL) splits a migration at every
// ";", also inside a comment, and sends the pieces one by one: a ";" in a comment breaks the deploy.
for (const dir of ["prisma/migrations", "prisma/postgres/migrations"]) {
  for (const name of readdirSync(dir).filter((n) => existsSync(path.join(dir, n, "migration.sql")))) {
    const file = path.join(dir, name, "migration.sql");
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      if (/--.*;/.test(line)) {
        console.error(`✗ ${file}:${i + 1}: a ";" in a comment splits the statement on PostgreSQL (adapter-pg executeScript): reword it.`);
        process.exitCode = 1;
      }
    });
  }
}
if (process.exitCode) process.exit(1);

const derived = spawnSync("node", ["scripts/pg-schema.mjs", "--check"], { stdio: "inherit" });
if (derived.status !== 0) process.exit(1);
check("SQLite", ["--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma"], {
  DATABASE_URL: "file:./data/portal.db",
});
let server = null;
let url = process.env.PG_ADMIN_URL;
if (!url) {
  server = startPostgres();
  url = server.url;
}
try {
  check("PostgreSQL", ["--from-migrations", "prisma/postgres/migrations", "--to-schema-datamodel", "prisma/postgres/schema.prisma"], {
    DATABASE_URL: url,
  });
} finally {
  server?.stop();
}
