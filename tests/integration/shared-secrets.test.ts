// Point 5 of issue 14: a deployment on a shared (non-SQLite) database refuses to start without the
// secrets every instance must share. Real child processes of the real entry points, a postgresql://
// URL on a loopback port nothing listens on, and no secrets in their environment.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SENTENCE =
  /DATABASE_URL is not a SQLite file, so every instance and worker must share the same secrets: set (\S+)( and (\S+))? \(make NEXTAUTH_SECRET with `openssl rand -base64 32` and PORTAL_SECRET_KEY with `openssl rand -hex 32`/;

function runEntry(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const base = { ...process.env };
  for (const name of [
    "NEXTAUTH_SECRET",
    "PORTAL_SECRET_KEY",
    "VITEST",
    "VITEST_POOL_ID",
    "VITEST_WORKER_ID",
    "NEXT_RUNTIME",
  ])
    delete base[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...base, NODE_ENV: "production", DATABASE_URL: "postgresql://portal@127.0.0.1:9/portal", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const ENTRY_POINTS: [string, string[]][] = [
  ["the worker", ["--import", "tsx", "scripts/worker.ts"]],
  ["org:create", ["--import", "tsx", "scripts/org-create.ts", "--name", "Acme", "--admin-email", "a@example.net"]],
  ["the seed", ["--import", "tsx", "prisma/seed.ts"]],
  ["npm start's environment check", ["--import", "tsx", "scripts/check-env.ts"]],
];

describe("a shared (non-SQLite) deployment needs its secrets from the environment", () => {
  it("start.mjs --serve-only (the web unit) refuses before Next starts: one fatal JSON line, no '✓ Ready' (walkthrough 6b, point 7)", async () => {
    const { code, output } = await runEntry(["scripts/start.mjs", "--serve-only", "--port", "0", "--host", "127.0.0.1"], {
      LOG_FORMAT: "json",
      NEXTAUTH_SECRET: "a-shared-session-secret-0123456789abcdef",
    });
    expect(code).toBe(1);
    const lines = output
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; msg: string; source?: string });
    expect(lines.filter((l) => SENTENCE.test(l.msg))).toHaveLength(1);
    expect(lines.find((l) => SENTENCE.test(l.msg))).toMatchObject({ level: "fatal" });
    expect(output).not.toMatch(/Ready|Next\.js|Starting the portal/);
  });

  for (const [name, args] of ENTRY_POINTS) {
    it(`${name} refuses to start without NEXTAUTH_SECRET and PORTAL_SECRET_KEY, naming both and how to make them`, async () => {
      const { code, output } = await runEntry(args, {});
      expect(code).not.toBe(0);
      const match = SENTENCE.exec(output);
      expect(match, output).not.toBeNull();
      expect([match![1], match![3]]).toEqual(["NEXTAUTH_SECRET", "PORTAL_SECRET_KEY"]);
      // One sentence, not a stack trace; nothing tried the database.
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toMatch(/ECONNREFUSED|P1001|started/);
    });
  }

  it("names only the one that is missing", async () => {
    const { code, output } = await runEntry(["--import", "tsx", "scripts/check-env.ts"], {
      NEXTAUTH_SECRET: "x".repeat(44),
    });
    expect(code).not.toBe(0);
    expect(SENTENCE.exec(output)?.slice(1, 4)).toEqual(["PORTAL_SECRET_KEY", undefined, undefined]);
  });

  it("checks the format of secrets it is given: a short session secret or a key that is not 64 hex characters", async () => {
    const { code, output } = await runEntry(["--import", "tsx", "scripts/check-env.ts"], {
      DATABASE_URL: "file:./data/never-created.db",
      NEXTAUTH_SECRET: "short",
      PORTAL_SECRET_KEY: "not-hex",
    });
    expect(code).not.toBe(0);
    expect(output).toContain(
      "NEXTAUTH_SECRET must be at least 32 characters (make one with `openssl rand -base64 32`)",
    );
    expect(output).toContain(
      "PORTAL_SECRET_KEY must be 64 hex characters, 32 bytes (make one with `openssl rand -hex 32`)",
    );
    expect(existsSync(path.join(ROOT, "data/never-created.db"))).toBe(false);
  });

  it("SANDBOX_URL must be an http(s) URL of the shared simulator", async () => {
    const { code, output } = await runEntry(["--import", "tsx", "scripts/check-env.ts"], {
      DATABASE_URL: "file:./data/never-created.db",
      SANDBOX_URL: "ftp://127.0.0.1:8083/xmlrpc/",
    });
    expect(code).not.toBe(0);
    expect(output).toContain("SANDBOX_URL must be an http(s) URL such as http://127.0.0.1:8083/xmlrpc/");
  });

  it("SQLite without secrets still starts as before (they are generated next to the database)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-sqlite-"));
    const { code, output } = await runEntry(["--import", "tsx", "scripts/check-env.ts"], {
      DATABASE_URL: `file:${dir}/portal.db`,
    });
    expect(output).toBe("");
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
