// Worker processes on one database: a worker killed mid-batch (SIGKILL) and two workers at once.
// Real processes (`node --import tsx scripts/worker.ts`), real HTTP to the simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomOrg, createQueuedPhones, SIM_USER, startTestSimulator, statusCounts, URL_TEMPLATE, waitFor } from "../support/sync-fixtures";
import { workerProcesses } from "../support/sync-process";

let db: Db;
const start = workerProcesses();

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

describe("worker processes", () => {
  it("finishes a SIGKILLed worker's claimed jobs once their lease runs out, leaving none syncing", async () => {
    const sim = await startTestSimulator({ latencyMs: 200 });
    try {
      const org = await createCustomOrg(db, sim.url);
      const { phones } = await createQueuedPhones(db, org.id, 60, { firstMac: 0x4000 });
      const first = start(["--concurrency", "8", "--lease-ms", "1500", "--poll-ms", "100"]);
      await first.started;
      // Mid-batch: calls have completed and others are in flight.
      await waitFor(() => sim.callCount("redirect.registerPhone") >= 12);
      first.child.kill("SIGKILL");
      await first.exited;

      const orphaned = await db.syncJob.count({ where: { organizationId: org.id, claimToken: { not: null } } });
      expect(orphaned).toBeGreaterThan(0);
      expect(await db.phone.count({ where: { organizationId: org.id, syncStatus: "syncing" } })).toBeGreaterThan(0);
      expect(await db.phone.count({ where: { organizationId: org.id, syncStatus: "synced" } })).toBeLessThan(60);

      const second = start(["--concurrency", "8", "--lease-ms", "1500", "--poll-ms", "100"]);
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 60, 60_000);
      expect(await second.stop()).toBe(0);

      expect(await statusCounts(db, org.id)).toEqual({ synced: 60 });
      expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(0);
      const held = sim.state().phones;
      for (const p of phones) expect(held[p.mac]).toEqual({ owner: SIM_USER, url: URL_TEMPLATE });
      expect(second.output()).toMatch(/SIGTERM: stopping/);
    } finally {
      await sim.close();
    }
  });

  it("two workers on one database never push the same MAC: exactly one register call per MAC", async () => {
    const sim = await startTestSimulator({ latencyMs: 30 });
    try {
      const org = await createCustomOrg(db, sim.url);
      const a = start(["--concurrency", "4", "--poll-ms", "50"]);
      const b = start(["--concurrency", "4", "--poll-ms", "50"]);
      await Promise.all([a.started, b.started]);
      // Queue only once both are polling, so both compete for the same jobs.
      const { phones } = await createQueuedPhones(db, org.id, 300, { firstMac: 0x5000 });
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 300, 60_000);
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);

      const registers = sim.state().calls.filter((c) => c.method === "redirect.registerPhone");
      const perMac = new Map<string, number>();
      for (const c of registers) perMac.set(c.mac!, (perMac.get(c.mac!) ?? 0) + 1);
      expect(perMac.size).toBe(300);
      expect([...perMac.values()].every((n) => n === 1)).toBe(true);
      for (const p of phones) expect(sim.state().phones[p.mac]?.url).toBe(URL_TEMPLATE);

      const actors = await db.syncEvent.groupBy({ by: ["actor"], where: { organizationId: org.id }, _count: { _all: true } });
      expect(actors).toHaveLength(2); // both workers took part
      expect(await db.syncEvent.count({ where: { organizationId: org.id } })).toBe(300);
    } finally {
      await sim.close();
    }
  });
});
