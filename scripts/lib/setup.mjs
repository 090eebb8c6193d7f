// Shared by `npm start` and `npm test`: bring a fresh clone to a runnable state. Plain Node, no
// dependencies, so it runs before `npm ci` has installed anything.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { wantsJsonLogs, writeJson, writeWrapped } from "./json-lines.mjs";

export const root = path.resolve(import.meta.dirname, "../..");
process.chdir(root);

try {
  process.loadEnvFile(".env");
} catch {
  /* no .env: defaults apply */
}

let jsonLogs = wantsJsonLogs();
/** JSON lines or readable ones (default: LOG_FORMAT, production → JSON); `npm test` always wants readable ones. */
export function setJsonLogs(on) {
  jsonLogs = on;
}

/** One step of the start-up, as a readable line or (LOG_FORMAT=json, production) a JSON line. */
export function log(msg) {
  if (jsonLogs) writeJson("info", msg, { source: "start" });
  else console.log(`\x1b[36m›\x1b[0m ${msg}`);
}

/** A start-up failure, before exiting: readable, or one JSON line at level fatal. */
export function logFatal(msg) {
  if (jsonLogs) writeJson("fatal", msg, { source: "start" });
  else console.error(`\n✗ ${msg}`);
}

/**
 * Runs a program to its end; exits this process with its status when it fails (after
 * `opts.onFailure`). With JSON logs its
 * output is collected and written as JSON lines (`source`: opts.source, default the program's
 * name) when it ends; otherwise it goes straight to the terminal.
 */
export function run(cmd, args, opts = {}) {
  const { source = path.basename(cmd), onFailure, ...spawnOpts } = opts;
  const json = jsonLogs;
  const r = spawnSync(cmd, args, {
    stdio: json ? ["inherit", "pipe", "pipe"] : "inherit",
    ...(json ? { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 } : {}),
    ...spawnOpts,
    env: { ...process.env, ...(opts.env ?? {}) },
  });
  if (json) {
    writeWrapped(r.stdout ?? "", { source, stream: "stdout", out: process.stdout });
    writeWrapped(r.stderr ?? "", { source, stream: "stderr", out: process.stderr });
  }
  if (r.status !== 0) {
    onFailure?.();
    logFatal(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const marker = "node_modules/.package-lock.json";
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync("package-lock.json").mtimeMs) return;
  log("Installing dependencies (npm ci; about 2 minutes the first time: better-sqlite3 compiles from source)");
  // --include=dev: with NODE_ENV=production (a deployment's env file) npm would leave out what
  // `next build` needs (Tailwind's PostCSS plugin, TypeScript).
  run("npm", ["ci", "--include=dev", "--no-audit", "--no-fund"], { source: "npm" });
}

/** Development dependencies `next build` needs (postcss.config.mjs, the type check). */
const BUILD_DEPENDENCIES = ["@tailwindcss/postcss", "tailwindcss", "typescript", "@types/react"];

/**
 * Stops with one sentence when `next build` cannot work: `npm ci` with NODE_ENV=production (the
 * deployment's env file loaded) omits development dependencies, and Next's own error names only the
 * first missing module.
 */
export function checkBuildDependencies() {
  const missing = BUILD_DEPENDENCIES.filter((name) => !existsSync(path.join("node_modules", name, "package.json")));
  if (missing.length === 0) return;
  logFatal(
    `next build needs the development dependencies, and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not installed: ` +
      "run `npm ci --include=dev` (with NODE_ENV=production set, plain `npm ci` leaves them out), then build again.",
  );
  process.exit(1);
}

export function databaseUrl() {
  return process.env.DATABASE_URL ?? "file:./data/portal.db";
}

/**
 * Apply committed migrations to the database (created when missing). Skips Prisma when nothing is
 * pending and waits for other processes that hold the database (see ./migrate.mjs); exits with a
 * clear message when it cannot.
 */
export async function migrate() {
  const url = databaseUrl();
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // PostgreSQL: `prisma migrate deploy` takes an advisory lock, so instances starting together wait
    // for each other instead of applying a migration twice.
    log("Bringing the PostgreSQL schema up to date (prisma migrate deploy; Prisma’s note that the schema’s datasource url is not used is expected: DATABASE_URL is)");
    run("node", ["node_modules/prisma/build/index.js", "migrate", "deploy"], { source: "prisma" });
    return;
  }
  if (!url.startsWith("file:")) {
    logFatal(`DATABASE_URL must be a SQLite file: URL or a postgresql:// URL (got “${url.split(":")[0]}:…”).`);
    process.exit(1);
  }
  mkdirSync(path.dirname(path.resolve(url.slice("file:".length))), { recursive: true });
  const { migrateDatabase } = await import("./migrate.mjs");
  const waitMs = process.env.PORTAL_MIGRATE_WAIT_MS ? Number(process.env.PORTAL_MIGRATE_WAIT_MS) : NaN;
  const result = await migrateDatabase({ url, log, ...(Number.isFinite(waitMs) && waitMs >= 0 ? { maxWaitMs: waitMs } : {}) });
  if (!result.ok) {
    logFatal(result.error);
    process.exit(1);
  }
}

function hashTree(hash, entry) {
  if (!existsSync(entry)) return;
  const st = statSync(entry);
  if (st.isDirectory()) {
    for (const child of readdirSync(entry).sort()) {
      if (child === "node_modules" || child === "generated" || child.startsWith(".")) continue;
      hashTree(hash, path.join(entry, child));
    }
  } else {
    hash.update(entry);
    hash.update(readFileSync(entry));
  }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `next build` unless the sources are exactly those of the last build. Several instances started at
 * once from one checkout build once: the others wait for the lock (a folder: mkdir is atomic) and
 * then find the build up to date. A lock older than 20 minutes is from a build that died.
 */
export function buildIfNeeded({ always = false } = {}) {
  const hash = createHash("sha256");
  for (const p of ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "instrumentation.ts", "proxy.ts"]) {
    hashTree(hash, p);
  }
  const digest = hash.digest("hex");
  const stamp = ".next/portal-source.sha256";
  const lock = ".next-build.lock";
  const upToDate = () =>
    !always && existsSync(".next/BUILD_ID") && existsSync(stamp) && readFileSync(stamp, "utf8") === digest;
  let told = false;
  for (;;) {
    if (upToDate()) {
      log("Build is up to date");
      return;
    }
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      if (Date.now() - statSync(lock).mtimeMs > 20 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) log("Another process is building the portal: waiting for it");
      told = true;
      sleepSync(1000);
    }
  }
  const release = () => rmSync(lock, { recursive: true, force: true });
  process.on("exit", release);
  try {
    checkBuildDependencies();
    log("Building the portal (next build; about 1–2 minutes)");
    run("node", ["node_modules/next/dist/bin/next", "build"], {
      env: { NEXT_TELEMETRY_DISABLED: "1" },
      source: "next",
      // A failed build leaves a .next (its cache included) that makes the next attempt fail the same
      // way even once the cause is fixed: nothing in it is worth keeping.
      onFailure: () => rmSync(".next", { recursive: true, force: true }),
    });
    writeFileSync(stamp, digest);
  } finally {
    release();
    process.off("exit", release);
  }
}

export function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}
