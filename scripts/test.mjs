// `npm test`: every test, on a fresh machine: install, Debian's chromium for the browser tests and
// Debian's PostgreSQL for the second database (installed when missing, never skipped), migrations
// check on both providers, typecheck, lint, then unit, integration and browser tests on SQLite and
// the integration (sync faults included) and browser tests again on PostgreSQL.
// `npm test -- --sqlite-only` leaves PostgreSQL out (quicker local runs; CI never does).
import { existsSync } from "node:fs";
import { ensureInstalled, log, run, setJsonLogs } from "./lib/setup.mjs";
import { startPostgres } from "./lib/pg-server.mjs";

// A person (or CI) reads this output: readable lines even with LOG_FORMAT=json in the environment.
setJsonLogs(false);

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const sqliteOnly = process.argv.includes("--sqlite-only");

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Browser tests need Debian's chromium at ${CHROMIUM}. Install it: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  log("Installing Debian's chromium for the browser tests (apt-get install -y chromium)");
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}

const started = Date.now();
ensureInstalled();
ensureChromium();
let postgres = null;
const stopPostgres = () => postgres?.stop();
process.on("exit", stopPostgres);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));
if (!sqliteOnly) {
  log("Starting a throw-away PostgreSQL on loopback (Debian's packages; installed when missing)");
  postgres = startPostgres();
}
const pgEnv = postgres ? { PG_ADMIN_URL: postgres.url } : {};

log("Checking that both migrations folders match their schema (and the PostgreSQL schema is derived)");
if (postgres) run("node", ["scripts/check-migrations.mjs"], { env: pgEnv });
else run("node", ["node_modules/prisma/build/index.js", "migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"]);
log("Type-checking");
run("node", ["node_modules/typescript/bin/tsc", "--noEmit"]);
log("Linting");
run("node", ["node_modules/eslint/bin/eslint.js", "."]);
log("Unit and integration tests (SQLite)");
run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "unit", "--project", "integration"]);
log("Browser tests on SQLite (builds the portal, then drives Debian's chromium)");
run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "e2e"], { env: { CHROMIUM_PATH: CHROMIUM } });
if (postgres) {
  const env = { TEST_POSTGRES_URL: postgres.url, CHROMIUM_PATH: CHROMIUM };
  log("Integration tests on PostgreSQL");
  run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "integration"], { env });
  log("Browser tests on PostgreSQL");
  run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "e2e"], { env });
}
log(`All tests passed in ${Math.round((Date.now() - started) / 1000)} s${postgres ? " (SQLite and PostgreSQL)" : " (SQLite only)"}`);
