// What a worker process writes for an operator's log collector (issue 14, point 5): with
// LOG_FORMAT=json every line on stdout and stderr is one JSON object, and a database it cannot reach
// is one error line (then a summary every 30 s), not a multi-line failure per poll. The database is
// a PostgreSQL URL to a loopback port nothing listens on. Real processes, real HTTP.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/sync-fixtures";
import { workerProcesses } from "../support/sync-process";
import { closedPort } from "../support/ports";

const start = workerProcesses();

/** Every output line as parsed JSON; a line that is not one JSON object fails the test, named. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
      expect(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed), line).toBe(true);
      return parsed as Record<string, unknown>;
    });
}

const SHARED_ENV = {
  LOG_FORMAT: "json",
  NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  PORTAL_SECRET_KEY: randomBytes(32).toString("hex"),
};

describe("worker logs with LOG_FORMAT=json", () => {
  it("an unreachable database: one error line with the short cause, no stack, no line per poll; readiness 503; SIGTERM still exits 0", async () => {
    const port = await closedPort();
    const worker = start(["--poll-ms", "50", "--health-port", "0"], {
      ...SHARED_ENV,
      DATABASE_URL: `postgresql://portal:not-the-password@127.0.0.1:${port}/portal`,
    });
    await worker.started;
    const healthPort = Number(/health on http:\/\/127\.0\.0\.1:(\d+)\//.exec(worker.output())?.[1]);
    const ready = await fetch(`http://127.0.0.1:${healthPort}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reason: "database_unreachable" });
    await waitFor(() => /database unreachable/.test(worker.output()));
    // About 40 polls (claims and probes) fail in the next 2 s: none of them may write a line.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await worker.stop()).toBe(0);

    const lines = jsonLines(worker.output());
    const trouble = lines.filter((l) => /database unreachable/.test(String(l.msg)));
    expect(trouble).toHaveLength(1);
    expect(trouble[0]).toMatchObject({ level: "error", workerId: expect.any(String) });
    expect(trouble[0].msg).toContain(`Can't reach database server at 127.0.0.1:${port}`);
    for (const line of lines) {
      expect(String(line.msg)).not.toMatch(/\n|Invalid `prisma|claim failed|probing failed/);
      expect(JSON.stringify(line)).not.toContain("not-the-password");
    }
  });

  it("a bad argument: one JSON line at level fatal, exit 2", async () => {
    const worker = start(["--concurrency", "lots"], { ...SHARED_ENV, DATABASE_URL: process.env.DATABASE_URL! });
    expect(await worker.exited).toBe(2);
    const lines = jsonLines(worker.output());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "fatal",
      msg: expect.stringContaining("--concurrency must be an integer"),
    });
  });

  it("an invalid environment: one JSON line at level fatal, exit 1", async () => {
    // VITEST (inherited from this runner) makes lib/env.ts throw for the test's sake: a real worker has none.
    const worker = start([], {
      ...SHARED_ENV,
      DATABASE_URL: process.env.DATABASE_URL!,
      SYNC_CONCURRENCY: "-3",
      VITEST: "",
    });
    expect(await worker.exited).toBe(1);
    const lines = jsonLines(worker.output());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "fatal", msg: expect.stringContaining("SYNC_CONCURRENCY") });
  });
});
