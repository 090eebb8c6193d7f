// A worker process told to stop (SIGTERM) while it holds claimed jobs: readiness turns 503 first,
// the jobs it claimed but did not start go back at once (lease cleared, so another worker syncs
// them without waiting out a 10-minute lease), the call in flight gets a bounded time and keeps
// its lease, and no phone is pushed by two workers at once. Real processes, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import {
  createCustomOrg,
  createQueuedPhones,
  startTestSimulator,
  statusCounts,
  waitFor,
} from "../support/sync-fixtures";
import { workerProcesses } from "../support/sync-process";

let db: Db;
const start = workerProcesses();

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

async function readiness(port: number): Promise<{ status: number; body: unknown } | "refused"> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health/ready`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: await res.json() };
  } catch {
    return "refused";
  }
}

const TEN_MINUTES = "600000";

describe("graceful shutdown of a worker process", () => {
  it("SIGTERM: readiness 503, unstarted jobs released at once, the hanging call bounded and still leased; another worker finishes the rest", async () => {
    // The first call hangs far longer than the drain bound; the timeout is longer still.
    const sim = await startTestSimulator({ latencyMs: 60_000 });
    try {
      const org = await createCustomOrg(db, sim.url);
      const { phones } = await createQueuedPhones(db, org.id, 10, { firstMac: 0x7100 });
      const first = start([
        "--concurrency",
        "1",
        "--lease-ms",
        TEN_MINUTES,
        "--timeout-ms",
        "120000",
        "--poll-ms",
        "100",
        "--drain-ms",
        "1500",
        "--health-port",
        "0",
      ]);
      await first.started;
      const port = Number(/health on http:\/\/127\.0\.0\.1:(\d+)\//.exec(first.output())?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(await readiness(port)).toEqual({ status: 200, body: { status: "ready" } });

      // All 10 claimed under a 10-minute lease; one call in flight, 9 waiting in the lane.
      await waitFor(
        async () => (await db.syncJob.count({ where: { organizationId: org.id, claimToken: { not: null } } })) === 10,
      );
      await waitFor(() => sim.peakInFlight() === 1);

      first.child.kill("SIGTERM");
      // Readiness turns 503 before the process is gone.
      let seen: Awaited<ReturnType<typeof readiness>> = "refused";
      await waitFor(
        async () => {
          seen = await readiness(port);
          return seen !== "refused" && seen.status === 503;
        },
        10_000,
        20,
      );
      expect(seen).toEqual({ status: 503, body: { status: "unavailable", reason: "shutting_down" } });
      expect(await first.exited).toBe(0);
      expect(first.output()).toMatch(/1 call\(s\) still in flight after 1500 ms/);
      // Its last line says what it handed back (walkthrough 6b, point 5).
      expect(first.output().trim().split("\n").at(-1)).toMatch(
        /stopped: 9 unstarted job\(s\) handed back to the queue, 1 call\(s\) still in flight keep their leases until they expire/,
      );

      const jobs = await db.syncJob.findMany({
        where: { organizationId: org.id },
        select: { mac: true, claimToken: true, claimedBy: true, leaseUntil: true },
      });
      expect(jobs).toHaveLength(10);
      const stillClaimed = jobs.filter((j) => j.claimToken !== null);
      expect(stillClaimed).toHaveLength(1);
      const hungMac = stillClaimed[0].mac;
      const released = jobs.filter((j) => j.mac !== hungMac);
      expect(released.every((j) => j.leaseUntil === null && j.claimToken === null && j.claimedBy === null)).toBe(true);
      // The call that may still reach the service keeps its lease: nobody else pushes that phone meanwhile.
      const hung = jobs.find((j) => j.mac === hungMac)!;
      expect(hung.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 60_000);

      sim.setLatency(0);
      const second = start(["--concurrency", "4", "--lease-ms", TEN_MINUTES, "--poll-ms", "100"]);
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 9, 30_000);
      expect(await second.stop()).toBe(0);

      const registers = sim.state().calls.filter((c) => c.method === "redirect.registerPhone");
      const perMac = new Map<string, number>();
      for (const c of registers) perMac.set(c.mac!, (perMac.get(c.mac!) ?? 0) + 1);
      // The released phones pushed exactly once each; the hung one by nobody else (its call is still held by the service).
      expect(perMac.size).toBe(9);
      expect([...perMac.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(phones.map((p) => p.mac).filter((mac) => mac !== hungMac))).toEqual(new Set(perMac.keys()));
      expect(sim.peakInFlight()).toBeGreaterThanOrEqual(1);
      expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
