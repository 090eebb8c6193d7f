// `npm test`: every test, on a fresh machine: install, Debian's chromium for the browser tests
// (installed when missing, never skipped), migrations check, typecheck, unit, integration, build, e2e.
import { existsSync } from "node:fs";
import { ensureInstalled, log, run } from "./lib/setup.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
log("Checking that the migrations match prisma/schema.prisma");
run("node", ["node_modules/prisma/build/index.js", "migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"]);
log("Type-checking");
run("node", ["node_modules/typescript/bin/tsc", "--noEmit"]);
log("Linting");
run("node", ["node_modules/eslint/bin/eslint.js", "."]);
log("Unit and integration tests");
run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "unit", "--project", "integration"]);
log("Browser tests (builds the portal, then drives Debian's chromium)");
run("node", ["node_modules/vitest/vitest.mjs", "run", "--project", "e2e"], { env: { CHROMIUM_PATH: CHROMIUM } });
log(`All tests passed in ${Math.round((Date.now() - started) / 1000)} s`);
