// How a worker reports an unreachable database (lib/sync/db-trouble.ts): one line when it starts,
// a summary at most every 30 s with the duration and the failed claims, one line when it is back.
import { describe, expect, it } from "vitest";
import { createDbTroubleReporter, shortCause } from "@/lib/sync/db-trouble";

const PRISMA_ERROR = new Error(
  "\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`",
);

describe("database trouble lines", () => {
  it("keeps the driver's sentence of a multi-line Prisma error, one line, at most 200 characters", () => {
    expect(shortCause(PRISMA_ERROR)).toBe("Can't reach database server at 127.0.0.1:5432");
    expect(shortCause(new Error("x".repeat(500)))).toHaveLength(200);
    expect(shortCause("plain")).toBe("plain");
  });

  it("two polls a second for 2 min: the first line, one summary per 30 s with the count, one line when back", () => {
    const lines: { line: string; level?: string }[] = [];
    let now = 1_000_000;
    const trouble = createDbTroubleReporter({ log: (line, f) => lines.push({ line, level: f?.level }), now: () => now });
    trouble.succeeded();
    expect(lines).toEqual([]);
    for (let i = 0; i < 240; i++) {
      trouble.failed(PRISMA_ERROR);
      trouble.failed(PRISMA_ERROR, { counted: false }); // the poll's probe
      now += 500;
    }
    expect(lines.map((l) => l.level)).toEqual(["error", "error", "error", "error"]);
    expect(lines[0].line).toBe(
      "database unreachable: Can't reach database server at 127.0.0.1:5432 (retrying every poll; next report in 30 s)",
    );
    expect(lines[1].line).toBe("database unreachable for 30 s, 61 claims failed: Can't reach database server at 127.0.0.1:5432");
    expect(lines[3].line).toMatch(/^database unreachable for 90 s, 181 claims failed: /);
    trouble.failed(PRISMA_ERROR);
    now += 10_000;
    trouble.succeeded();
    expect(lines.at(-1)).toEqual({ line: "database reachable again after 2 min (241 claims failed)", level: "info" });
    expect(trouble.inTrouble).toBe(false);
    // A query the database refuses is not called an outage.
    trouble.failed(new Error('relation "SyncJob" does not exist'));
    expect(lines.at(-1)?.line).toMatch(/^database queries failing: relation "SyncJob" does not exist/);
    trouble.succeeded();
    expect(lines.at(-1)?.line).toMatch(/^database queries succeed again after 0 s/);
    const count = lines.length;
    trouble.succeeded();
    expect(lines).toHaveLength(count);
  });
});
