// A worker whose claims fail for a while and then work again (the createSyncWorker the worker
// script and the web server run): one line when the trouble starts, a summary per interval with the
// count, one line when it is over; then it syncs as before. The trouble: the job table is renamed
// away under the running worker (a real SQLite database from the migrations), then back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, isPostgresUrl, type Db } from "../../lib/db-core";
import type { Simulator } from "../../lib/redirection/simulator";
import { DEFAULT_BREAKER } from "../../lib/sync/breaker";
import { createSyncWorker } from "../../lib/sync/worker";
import { createResultWriter, type LogFields } from "../../lib/sync/writer";
import { accountFor, createCustomOrg, createQueuedPhones, startTestSimulator, statusCounts, waitFor } from "../support/sync-fixtures";

let db: Db;
let sim: Simulator;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});

describe("claims failing, then working again", () => {
  it("one line at the start, summaries with the count at most once per interval, one line at the end; then it syncs", async () => {
    const org = await createCustomOrg(db, sim.url);
    const lines: { line: string; level: string }[] = [];
    const worker = createSyncWorker({
      db,
      workerId: "trouble-test",
      pollMs: 20,
      dbTroubleReportEveryMs: 400,
      resolveAccount: async () => accountFor(sim),
      log: (line: string, fields?: LogFields) => lines.push({ line, level: fields?.level ?? "info" }),
    });
    const table = isPostgresUrl(process.env.DATABASE_URL) ? `"SyncJob"` : "SyncJob";
    await db.$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "SyncJobAway"`);
    worker.start();
    try {
      await waitFor(() => lines.some((l) => /^database queries failing for /.test(l.line)), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      await db.$executeRawUnsafe(`ALTER TABLE "SyncJobAway" RENAME TO ${table}`);
      await waitFor(() => lines.some((l) => /succeed again/.test(l.line)), 10_000);

      const trouble = lines.filter((l) => /^database /.test(l.line));
      // About 1 s of 20 ms polls (claims and probes): dozens of failures, a handful of lines.
      expect(trouble.length).toBeLessThanOrEqual(6);
      expect(trouble[0]).toMatchObject({ level: "error", line: expect.stringMatching(/^database queries failing: .*SyncJob/) });
      const summary = trouble.find((l) => / for \d+ s, \d+ claims failed: /.test(l.line))!;
      expect(summary.level).toBe("error");
      // How many claims fit in one interval depends on the machine's load (5 on a busy CI machine):
      // the line counts several, and the last line's total is at least the summary's.
      const counted = Number(/(\d+) claims failed/.exec(summary.line)![1]);
      expect(counted).toBeGreaterThan(1);
      expect(Number(/\((\d+) claims failed\)$/.exec(trouble.at(-1)!.line)?.[1])).toBeGreaterThanOrEqual(counted);
      expect(trouble.at(-1)).toMatchObject({ level: "info", line: expect.stringMatching(/^database queries succeed again after \d+ s \(\d+ claims failed\)$/) });
      expect(lines.some((l) => /claim failed|probing failed/.test(l.line))).toBe(false);

      await createQueuedPhones(db, org.id, 3, { firstMac: 0x7e00 });
      worker.poke();
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 3);
    } finally {
      await worker.stop();
    }
  });
});

describe("results that cannot be written", () => {
  it("after the last attempt the line says the jobs run again when their leases run out, not that they are given up (walkthrough 6b, point 6)", async () => {
    const lines: { line: string; level: string }[] = [];
    const writer = createResultWriter({
      db,
      now: Date.now,
      breaker: DEFAULT_BREAKER,
      log: (line: string, fields?: LogFields) => lines.push({ line, level: fields?.level ?? "info" }),
      onCommitted: () => {},
      onSettled: () => {},
    });
    const table = isPostgresUrl(process.env.DATABASE_URL) ? `"Phone"` : "Phone";
    await db.$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "PhoneAway"`);
    try {
      writer.enqueue({ kind: "syncing", phoneId: "no-such-phone" });
      writer.hurry();
      await writer.drain();
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE "PhoneAway" RENAME TO ${table}`);
    }
    const last = lines.at(-1)!;
    expect(last.level).toBe("error");
    expect(last.line).toMatch(/^could not write 1 result \(.*Phone.*\); their jobs stay queued and run again once their leases run out$/);
    expect(lines.some((l) => /giving up/.test(l.line))).toBe(false);
  });
});
