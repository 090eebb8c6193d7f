// Credentials never cross organizations: two organizations naming the same endpoint and username
// with different passwords, synced by one real worker against the real simulator over loopback.
// The simulator records the Basic-auth user and password every call carried.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import type { Simulator } from "../../lib/redirection/simulator";
import { closeAgents } from "../../lib/redirection/client";
import { resolveAccount } from "../../lib/sync/account";
import { createSyncWorker } from "../../lib/sync/worker";
import {
  createCustomOrg,
  createQueuedPhones,
  SIM_PASSWORD,
  SIM_USER,
  startTestSimulator,
  statusCounts,
  TEST_KEY_HEX,
  URL_TEMPLATE,
  waitFor,
} from "../support/sync-fixtures";
import { snomMac } from "../factories";

const WRONG_PASSWORD = "not-the-victims-password";
const B_TEMPLATE = "https://prov.org-b.example/{mac}.xml";

let db: Db;
let sim: Simulator;
const dataDir = process.env.PORTAL_TEST_DIR!;

function makeWorker(concurrency = 4) {
  return createSyncWorker({
    db,
    workerId: "tenancy",
    concurrency,
    pollMs: 50,
    backoff: { baseMs: 20, maxMs: 100, maxAttempts: 12 },
    resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
  });
}

/** Every recorded call of these MACs, with the password it carried. */
function callsFor(macs: string[], from = 0) {
  const set = new Set(macs);
  return sim
    .state()
    .calls.slice(from)
    .filter((c) => c.mac !== undefined && set.has(c.mac));
}

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  // Slow enough that both organizations' calls are in flight at the same time.
  sim = await startTestSimulator({ latencyMs: 15 });
});
afterAll(async () => {
  await sim.close();
  closeAgents();
  await db.$disconnect();
});
beforeEach(() => sim.reset());

describe("credentials per organization", () => {
  it("two organizations on the same endpoint and username: each call carries its own organization's password", async () => {
    const orgA = await createCustomOrg(db, sim.url);
    const orgB = await createCustomOrg(db, sim.url, { password: WRONG_PASSWORD, urlTemplate: B_TEMPLATE });
    // Interleaved in one claim: A, B, A, B ... so both are resolved into the worker together.
    const a = await createQueuedPhones(db, orgA.id, 20, { firstMac: 0x1000 });
    const b = await createQueuedPhones(db, orgB.id, 20, { firstMac: 0x2000 });
    const base = Date.now() - 60_000;
    for (let i = 0; i < 20; i++) {
      await db.syncJob.updateMany({ where: { phoneId: a.phones[i].id }, data: { runAfter: new Date(base + 2 * i) } });
      await db.syncJob.updateMany({
        where: { phoneId: b.phones[i].id },
        data: { runAfter: new Date(base + 2 * i + 1) },
      });
    }

    await makeWorker().runUntilIdle({ includeDelayed: true });

    const aCalls = callsFor(a.phones.map((p) => p.mac));
    const bCalls = callsFor(b.phones.map((p) => p.mac));
    expect(aCalls.length).toBeGreaterThanOrEqual(20);
    expect(bCalls.length).toBeGreaterThan(0);
    expect(aCalls.filter((c) => c.authUser !== SIM_USER || c.authPassword !== SIM_PASSWORD)).toEqual([]);
    expect(bCalls.filter((c) => c.authUser !== SIM_USER || c.authPassword !== WRONG_PASSWORD)).toEqual([]);

    expect(await statusCounts(db, orgA.id)).toEqual({ synced: 20 });
    for (const p of a.phones) expect(sim.state().phones[p.mac]).toEqual({ owner: SIM_USER, url: URL_TEMPLATE });
    for (const p of b.phones) expect(sim.state().phones[p.mac]).toBeUndefined();
    const [freshA, freshB] = await Promise.all([
      db.organization.findUniqueOrThrow({ where: { id: orgA.id } }),
      db.organization.findUniqueOrThrow({ where: { id: orgB.id } }),
    ]);
    expect(freshA.rdsPausedAt).toBeNull();
    expect(freshB.rdsPausedAt).toBeInstanceOf(Date);
  });

  it("B's wrong password for A's username does not re-point A's MAC to B's URL, and A is not paused", async () => {
    // A registers a phone with the right password.
    const orgA = await createCustomOrg(db, sim.url);
    const a = await createQueuedPhones(db, orgA.id, 1, { firstMac: 0x3000 });
    const mac = a.phones[0].mac;
    await makeWorker().runUntilIdle({ includeDelayed: true });
    expect(sim.state().phones[mac]).toEqual({ owner: SIM_USER, url: URL_TEMPLATE });

    // B saves the same URL and username with a wrong password ("save anyway") and adds A's MAC;
    // A has more phones queued. B's job is older, so the restarted worker resolves B first.
    const orgB = await createCustomOrg(db, sim.url, { password: WRONG_PASSWORD, urlTemplate: B_TEMPLATE });
    const b = await createQueuedPhones(db, orgB.id, 1, { macs: [mac] });
    const moreA = await createQueuedPhones(db, orgA.id, 6, { firstMac: 0x3100 });
    const base = Date.now() - 60_000;
    await db.syncJob.updateMany({ where: { phoneId: b.phones[0].id }, data: { runAfter: new Date(base) } });
    await db.syncJob.updateMany({ where: { organizationId: orgA.id }, data: { runAfter: new Date(base + 1) } });
    const mark = sim.state().calls.length;

    await makeWorker().runUntilIdle({ includeDelayed: true });

    expect(sim.state().phones[mac]).toEqual({ owner: SIM_USER, url: URL_TEMPLATE });
    const bCalls = callsFor([mac], mark);
    expect(bCalls.length).toBeGreaterThan(0);
    expect(bCalls.every((c) => c.authPassword === WRONG_PASSWORD && c.outcome === "auth_failed")).toBe(true);
    expect(callsFor(moreA.phones.map((p) => p.mac)).every((c) => c.authPassword === SIM_PASSWORD)).toBe(true);
    expect(await statusCounts(db, orgA.id)).toEqual({ synced: 7 });
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgA.id } })).rdsPausedAt).toBeNull();
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgB.id } })).rdsPausedAt).toBeInstanceOf(Date);
  });
});

describe("failure state per organization", () => {
  it("one organization's failing calls open its circuit only: another on the same endpoint and username keeps sending (issue 14, point 6)", async () => {
    const failing = Array.from({ length: 12 }, (_, i) => snomMac(0x7a00 + i));
    const shared = await startTestSimulator({ latencyMs: 5, faultMacs: failing });
    const lines: string[] = [];
    const worker = createSyncWorker({
      db,
      workerId: "tenancy-faults",
      concurrency: 2,
      pollMs: 20,
      backoff: { baseMs: 20, maxMs: 100, answeringMaxMs: 20, maxAttempts: 1_000 },
      breaker: { probeMinMs: 60_000, probeMaxMs: 60_000 },
      log: (line) => lines.push(line),
      resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
    });
    try {
      // Same URL, username and password: only the organization tells their lanes apart.
      const orgA = await createCustomOrg(db, shared.url);
      const orgB = await createCustomOrg(db, shared.url);
      await createQueuedPhones(db, orgA.id, failing.length, { macs: failing });
      const b = await createQueuedPhones(db, orgB.id, 40, { firstMac: 0x7b00 });
      worker.start();
      const circuitOf = async (id: string) =>
        (await db.organization.findUniqueOrThrow({ where: { id } })).circuitOpenedAt;
      await waitFor(async () => (await statusCounts(db, orgB.id)).synced === 40 && (await circuitOf(orgA.id)) !== null);

      expect(await circuitOf(orgB.id)).toBeNull();
      expect(lines.filter((l) => l.includes("circuit open"))).toEqual([expect.stringContaining(orgA.id)]);
      // B's phones went out once each and were answered: A's failures neither paused nor slowed them.
      const bMacs = new Set(b.phones.map((p) => p.mac));
      const bCalls = shared.state().calls.filter((c) => c.mac !== undefined && bMacs.has(c.mac));
      expect(bCalls).toHaveLength(40);
      expect(bCalls.every((c) => c.outcome === "ok")).toBe(true);
    } finally {
      await worker.stop();
      await shared.close();
    }
  });
});
