// `npm start`'s migration step (scripts/lib/setup.mjs `migrate()`) while other processes hold the
// database open: a child process with a read transaction (like a `sqlite3` shell) and a running
// `npm run worker`. Real processes, a real database file deployed by `prisma migrate deploy`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { spawnWorker, type WorkerProcess } from "../support/sync-process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs exactly what `npm start` runs first: `migrate()` from scripts/lib/setup.mjs, in its own process. */
function runMigrationStep(
  url: string,
  env: Record<string, string> = {},
  onOutput: (soFar: string) => void = () => {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", 'import("./scripts/lib/setup.mjs").then((m) => m.migrate())'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (c: Buffer) => {
      output += c.toString("utf8");
      onOutput(output);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** A process that opens the file, starts a read transaction and keeps it until killed. */
function holdReadTransaction(file: string): Promise<ChildProcess> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN");
    db.prepare("SELECT count(*) FROM _prisma_migrations").get();
    console.log("holding");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["-e", script, file], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`holder exited ${code}`)));
  });
}

const children: ChildProcess[] = [];
const workers: WorkerProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const w of workers.splice(0)) await w.stop();
});

async function deployedDatabase(): Promise<{ url: string; file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-start-"));
  const file = path.join(dir, "portal.db");
  const url = `file:${file}`;
  const first = await runMigrationStep(url);
  expect(first.code, first.output).toBe(0);
  // The portal and the worker switch the file to WAL (lib/db-core.ts) on first use.
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.close();
  return { url, file };
}

describe("npm start's migration step with the database held by other processes", () => {
  it("succeeds while a worker runs and another process holds a read transaction (nothing pending)", async () => {
    const { url, file } = await deployedDatabase();
    const holder = await holdReadTransaction(file);
    children.push(holder);
    const worker = spawnWorker(["--poll-ms", "100", "--quiet"], { DATABASE_URL: url });
    workers.push(worker);
    await worker.started;

    const step = await runMigrationStep(url);
    expect(step.code, step.output).toBe(0);
    expect(step.output).toMatch(/up to date \(no pending migration\)/);
    expect(step.output).not.toMatch(/SocketTimeout/);
  });

  it("applies a pending migration once the other process lets go, waiting with a clear message", async () => {
    const { url, file } = await deployedDatabase();
    // Turn the database back into one that lacks the second migration.
    const db = new Database(file);
    db.exec(`ALTER TABLE "User" DROP COLUMN "sessionsValidFrom"`);
    db.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(
      "20261126120000_user_sessions_valid_from",
    );
    db.close();

    const holder = await holdReadTransaction(file);
    children.push(holder);
    // The holder goes away (the shell is closed) once the step has said that it waits.
    const step = await runMigrationStep(url, { PORTAL_MIGRATE_WAIT_MS: "120000" }, (out) => {
      if (/Waiting for the database/.test(out) && holder.exitCode === null) holder.kill("SIGTERM");
    });
    expect(step.code, step.output).toBe(0);
    expect(step.output).toMatch(/Applying 1 migration .*20261126120000_user_sessions_valid_from/);
    expect(step.output).toMatch(/Waiting for the database: another process has the database open/);

    const after = new Database(file, { readonly: true });
    const columns = after.prepare(`PRAGMA table_info("User")`).all() as { name: string }[];
    after.close();
    expect(columns.map((c) => c.name)).toContain("sessionsValidFrom");
  });

  it("gives up after the wait with a message that names what to stop, never a wasm error", async () => {
    const { url, file } = await deployedDatabase();
    const db = new Database(file);
    db.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(
      "20261126120000_user_sessions_valid_from",
    );
    db.close();

    children.push(await holdReadTransaction(file));
    const step = await runMigrationStep(url, { PORTAL_MIGRATE_WAIT_MS: "1000" });
    expect(step.code).toBe(1);
    expect(step.output).toMatch(
      /Could not apply the pending migrations: another process has the database open \(a running `npm run worker`, another `npm start`, or a `sqlite3` shell\)/,
    );
    expect(step.output).not.toMatch(/unknown variant/);
  });
});

describe("npm start's migration step with LOG_FORMAT=json", () => {
  /** Every line of `output` parsed; fails naming the first line that is not one JSON object. */
  function jsonLines(output: string): Record<string, unknown>[] {
    return output
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          throw new Error(`not a JSON line: ${l}`);
        }
      });
  }

  it("every line is one JSON object: applying, applied, up to date; a wrong URL is one fatal line", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-start-json-"));
    const url = `file:${path.join(dir, "portal.db")}`;
    const first = await runMigrationStep(url, { LOG_FORMAT: "json" });
    expect(first.code, first.output).toBe(0);
    expect(jsonLines(first.output).map((l) => [l.level, l.source, l.msg])).toEqual([
      ["info", "start", expect.stringMatching(/^Applying \d+ migrations to file:/)],
      ["info", "start", "Migrations applied"],
    ]);
    const again = await runMigrationStep(url, { LOG_FORMAT: "json" });
    expect(jsonLines(again.output)).toEqual([expect.objectContaining({ level: "info", msg: expect.stringMatching(/up to date/) })]);

    const wrong = await runMigrationStep("mysql://db.example/portal", { LOG_FORMAT: "json" });
    expect(wrong.code).toBe(1);
    expect(jsonLines(wrong.output)).toEqual([
      expect.objectContaining({ level: "fatal", source: "start", msg: expect.stringMatching(/^DATABASE_URL must be a SQLite file: URL/) }),
    ]);
  });
});
