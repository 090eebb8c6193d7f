// Circuit breaker and adaptive concurrency against the real simulator over loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { registerPhone } from "../../lib/redirection/client";
import { recordCallOutcome, resetFailureThrottle, throttleKey } from "../../lib/redirection/failure-throttle";
import { resolveAccount } from "../../lib/sync/account";
import { DEFAULT_BREAKER } from "../../lib/sync/breaker";
import { claimDueProbes, recordFailedProbe, requestProbeNow } from "../../lib/sync/circuit-store";
import { checkServiceNow, getSyncOverview } from "../../lib/data/sync-overview";
import type { Actor } from "../../lib/data/common";
import { createUser } from "../factories";
import { probeDueCircuits } from "../../lib/sync/probe";
import { createSyncWorker } from "../../lib/sync/worker";
import {
  accountFor,
  createCustomOrg,
  createQueuedPhones,
  startTestSimulator,
  statusCounts,
  TEST_KEY_HEX,
  waitFor,
} from "../support/sync-fixtures";

let db: Db;
const dataDir = process.env.PORTAL_TEST_DIR!;

function makeWorker(workerId: string, opts: { concurrency?: number; probeMinMs?: number } = {}) {
  return createSyncWorker({
    db,
    workerId,
    concurrency: opts.concurrency ?? 8,
    pollMs: 25,
    backoff: { baseMs: 20, maxMs: 200, maxAttempts: 1_000 },
    breaker: { probeMinMs: opts.probeMinMs ?? 100, probeMaxMs: Math.max(60_000, opts.probeMinMs ?? 0) },
    log: process.env.DEBUG_SYNC ? (l) => console.log(l) : undefined,
    resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
  });
}

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

describe("circuit breaker per account", () => {
  it("a 503 outage opens the circuit: phone calls stop, one probe at a time goes out, and the queue drains once the service is back", async () => {
    const sim = await startTestSimulator({ latencyMs: 5, seedForeignMacs: false });
    const healthy = await startTestSimulator({ latencyMs: 5, seedForeignMacs: false });
    const worker = makeWorker("breaker-503", { probeMinMs: 200 });
    try {
      sim.setFaults({ rate: 1, modes: ["http503"] });
      const down = await createCustomOrg(db, sim.url);
      const up = await createCustomOrg(db, healthy.url);
      await createQueuedPhones(db, down.id, 60, { firstMac: 0x5000 });
      await createQueuedPhones(db, up.id, 30, { firstMac: 0x5100 });
      worker.start();

      // The other account's phones do not wait for this outage.
      await waitFor(
        async () => (await db.phone.count({ where: { organizationId: up.id, syncStatus: "synced" } })) === 30,
      );
      await waitFor(
        async () => (await db.phone.count({ where: { organizationId: down.id, syncStatus: "waiting" } })) === 60,
      );
      const org = await db.organization.findUniqueOrThrow({ where: { id: down.id } });
      expect(org.circuitOpenedAt).not.toBeNull();
      expect(org.circuitLastError).toBe("HTTP 503 from the service");

      const registersAtOpen = sim.callCount("redirect.registerPhone");
      expect(registersAtOpen).toBeLessThanOrEqual(8);
      await waitFor(async () => sim.callCount("network.echo") >= 2);
      // Open: probes only, never a phone call, and no phone used more than the one attempt that tripped it.
      expect(sim.callCount("redirect.registerPhone")).toBe(registersAtOpen);
      expect(await db.phone.count({ where: { organizationId: down.id, attempts: { gt: 1 } } })).toBe(0);

      sim.setFaults({ rate: 0 });
      await waitFor(
        async () => (await db.phone.count({ where: { organizationId: down.id, syncStatus: "synced" } })) === 60,
        15_000,
      );
      expect(await db.organization.findUniqueOrThrow({ where: { id: down.id } })).toMatchObject({
        circuitOpenedAt: null,
        circuitLastError: null,
      });
      expect(sim.callCount("redirect.registerPhone")).toBe(registersAtOpen + 60);
    } finally {
      await worker.stop();
      await sim.close();
      await healthy.close();
    }
  });

  it("Check now makes the next probe due at once, whatever the schedule said", async () => {
    const sim = await startTestSimulator({ seedForeignMacs: false });
    const worker = makeWorker("breaker-check-now", { probeMinMs: 10 * 60_000 });
    try {
      sim.setFaults({ rate: 1, modes: ["http500"] });
      const org = await createCustomOrg(db, sim.url);
      await createQueuedPhones(db, org.id, 10, { firstMac: 0x5200 });
      worker.start();
      await waitFor(
        async () => (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).circuitOpenedAt !== null,
      );
      const next = (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).circuitNextProbeAt!;
      expect(next.getTime() - Date.now()).toBeGreaterThan(60_000);
      sim.setFaults({ rate: 0 });
      expect(await requestProbeNow(db, org.id)).toBe(true);
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 10, 10_000);
      expect(sim.callCount("network.echo")).toBe(1);
    } finally {
      await worker.stop();
      await sim.close();
    }
  });
});

describe("probes", () => {
  it("are paced by the breaker alone: the failure throttle of the outage does not hold them back", async () => {
    const sim = await startTestSimulator({ latencyMs: 5, seedForeignMacs: false });
    try {
      const org = await createCustomOrg(db, sim.url);
      await db.organization.update({
        where: { id: org.id },
        data: { circuitOpenedAt: new Date(), circuitNextProbeAt: new Date(), circuitLastError: "HTTP 503" },
      });
      // The outage's failures made the failure throttle hold every call to this account (at its cap).
      const key = throttleKey(accountFor(sim));
      for (let i = 0; i < 30; i++) recordCallOutcome(key, "failed");
      // A held call goes first; the probe, sent after it, still reaches the service before it.
      const held = registerPhone(accountFor(sim), "000413AA0001", "https://prov.example.net/{mac}");
      const closed = await probeDueCircuits(db, {
        holdMs: 20_000,
        breaker: DEFAULT_BREAKER,
        accountFor: async (id) =>
          id === org.id ? resolveAccount(db, id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }) : null,
        log: () => {},
      });
      await held;
      expect(closed).toContain(org.id);
      expect(sim.state().calls.map((c) => c.method)).toEqual(["network.echo", "redirect.registerPhone"]);
    } finally {
      resetFailureThrottle();
      await sim.close();
    }
  });
});

describe("the banner's next check and Check now", () => {
  async function openCircuit(orgId: string, nextProbeAt: Date) {
    await db.organization.update({
      where: { id: orgId },
      data: { circuitOpenedAt: new Date(Date.now() - 60_000), circuitNextProbeAt: nextProbeAt, circuitLastError: "HTTP 503 from the service" },
    });
  }

  it("shows the scheduled check, never the claim's hold: 'under way' while a probe runs, then the policy's next time", async () => {
    const sim = await startTestSimulator({ seedForeignMacs: false });
    try {
      const org = await createCustomOrg(db, sim.url);
      const admin: Actor = { id: (await createUser(db, org.id, { role: "ADMIN" })).id, organizationId: org.id, role: "ADMIN" };
      const due = new Date(Date.now() - 1_000);
      await openCircuit(org.id, due);
      const claimed = await claimDueProbes(db, 20_000);
      expect(claimed.map((c) => c.organizationId)).toContain(org.id);
      // A second worker does not win the same probe while the first one's call runs.
      expect((await claimDueProbes(db, 20_000)).map((c) => c.organizationId)).not.toContain(org.id);

      const during = (await getSyncOverview(admin)).circuit!;
      expect(during.checking).toBe(true);
      expect(during.nextProbeAt!.getTime()).toBe(due.getTime());

      const probe = claimed.find((c) => c.organizationId === org.id)!;
      const next = await recordFailedProbe(db, probe, "HTTP 503 from the service", DEFAULT_BREAKER);
      const after = (await getSyncOverview(admin)).circuit!;
      expect(after.checking).toBe(false);
      expect(after.nextProbeAt!.getTime()).toBe(next.getTime());
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5_000);
      // The failed probe freed the claim: once due, the next probe is claimed again.
      await requestProbeNow(db, org.id);
      expect((await claimDueProbes(db, 20_000)).map((c) => c.organizationId)).toContain(org.id);
    } finally {
      await sim.close();
    }
  });

  it("Check now says what the check found: the service answers again, or still not with its error", async () => {
    const sim = await startTestSimulator({ seedForeignMacs: false });
    const worker = makeWorker("breaker-check-outcome", { probeMinMs: 10 * 60_000 });
    try {
      sim.setFaults({ rate: 1, modes: ["http503"] });
      const org = await createCustomOrg(db, sim.url);
      const admin: Actor = { id: (await createUser(db, org.id, { role: "ADMIN" })).id, organizationId: org.id, role: "ADMIN" };
      await createQueuedPhones(db, org.id, 10, { firstMac: 0x5400 });
      worker.start();
      await waitFor(async () => (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).circuitOpenedAt !== null);

      const down = await checkServiceNow(admin, { onScheduled: () => worker.poke(), waitMs: 10_000 });
      expect(down).toMatchObject({ kind: "still_down", lastError: "HTTP 503 from the service" });

      // The service recovers; the click comes within a second of it, before any scheduled check.
      sim.setFaults({ rate: 0 });
      expect(await checkServiceNow(admin, { onScheduled: () => worker.poke(), waitMs: 10_000 })).toEqual({ kind: "answering" });
      // A banner that is out of date (the circuit already closed) gets the same answer, at once.
      expect(await checkServiceNow(admin, { waitMs: 10_000 })).toEqual({ kind: "answering" });
      await waitFor(async () => (await statusCounts(db, org.id)).synced === 10, 10_000);
    } finally {
      await worker.stop();
      await sim.close();
    }
  });
});

describe("adaptive concurrency", () => {
  it("answers 429 (service over its capacity) by shrinking, never by using up attempts or failing phones", async () => {
    const sim = await startTestSimulator({ latencyMs: 20, capacity: 3, seedForeignMacs: false });
    const worker = makeWorker("limiter-429", { concurrency: 16 });
    try {
      const org = await createCustomOrg(db, sim.url);
      await createQueuedPhones(db, org.id, 80, { firstMac: 0x5300 });
      await worker.runUntilIdle({ includeDelayed: true });
      expect(await statusCounts(db, org.id)).toEqual({ synced: 80 });
      const calls = sim.state().calls.filter((c) => c.method === "redirect.registerPhone");
      const throttledIn = (part: typeof calls) => part.filter((c) => c.outcome === "throttled").length;
      expect(throttledIn(calls)).toBeGreaterThan(0);
      // Shrinking: at a fixed 16 in flight against a capacity of 3, 13 of every 16 calls would be
      // refused; once the limit has come down it moves in a sawtooth around the capacity, so in
      // the last third of the run far fewer are. None of them used an attempt.
      const last = calls.slice(-Math.floor(calls.length / 3));
      expect(throttledIn(last) / last.length).toBeLessThan(0.4);
      expect(await db.phone.count({ where: { organizationId: org.id, attempts: { not: 1 } } })).toBe(0);
      expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).circuitOpenedAt).toBeNull();
    } finally {
      await worker.stop();
      await sim.close();
    }
  });

  it("a service failing 30 % of calls at random needs 12 failures in a row to open its circuit, one that answered everything 8 (issue 14, point 6)", async () => {
    // The simulator asks `random` whether to fault a call (and then which mode): faults by arrival.
    const scripted = (faults: boolean[]) => {
      let i = 0;
      let pickingMode = false;
      return () => {
        if (pickingMode) {
          pickingMode = false;
          return 0;
        }
        pickingMode = faults[i++] ?? false;
        return pickingMode ? 0 : 0.999_999;
      };
    };
    const thirtyPercent = Array.from({ length: 40 }, (_, i) => i % 10 < 3);
    const elevenInARow = Array<boolean>(11).fill(true);
    const options = { latencyMs: 2, seedForeignMacs: false, faultRate: 0.5, faultModes: ["http500" as const] };
    const flaky = await startTestSimulator({ ...options, random: scripted([...thirtyPercent, ...elevenInARow]) });
    const calm = await startTestSimulator({ ...options, random: scripted([...Array<boolean>(40).fill(false), ...elevenInARow]) });
    // One call at a time per lane: arrival order is the order the breaker counts in.
    const worker = makeWorker("breaker-rate", { concurrency: 1 });
    try {
      const flakyOrg = await createCustomOrg(db, flaky.url);
      const calmOrg = await createCustomOrg(db, calm.url);
      await createQueuedPhones(db, flakyOrg.id, 50, { firstMac: 0x5800 });
      await createQueuedPhones(db, calmOrg.id, 50, { firstMac: 0x5900 });
      await worker.runUntilIdle({ includeDelayed: true });

      expect(await statusCounts(db, flakyOrg.id)).toEqual({ synced: 50 });
      expect(await statusCounts(db, calmOrg.id)).toEqual({ synced: 50 });
      const runs = (sim: typeof flaky) => sim.state().calls.filter((c) => c.method === "redirect.registerPhone");
      expect(runs(flaky).filter((c) => c.outcome.startsWith("fault:"))).toHaveLength(23);
      // 11 in a row after 30 % failures: not taken for an outage, no probe ever went out.
      expect(flaky.callCount("network.echo")).toBe(0);
      // 11 in a row after none: the circuit opened at the 8th, and probes (3 faulted, then one answered) closed it.
      expect(calm.callCount("network.echo")).toBeGreaterThanOrEqual(1);
      expect(runs(calm).filter((c) => c.outcome.startsWith("fault:"))).toHaveLength(8);
    } finally {
      await worker.stop();
      await flaky.close();
      await calm.close();
    }
  });
});
