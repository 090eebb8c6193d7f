// The sync worker against the real simulator over HTTP, in-process: outcomes per service answer,
// coalescing, deletion, needs_url, pause on bad credentials, account resolution.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { encryptSecret } from "../../lib/crypto";
import { FOREIGN_ACCOUNT_COMPANY, FOREIGN_MACS, type Simulator } from "../../lib/redirection/simulator";
import { resolveAccount } from "../../lib/sync/account";
import { enqueuePhoneSync, markPhonesForRemoval } from "../../lib/sync/outbox";
import { createSyncWorker, pruneSyncHistory, resumeOrganizationQueue } from "../../lib/sync/worker";
import { SRAPS_URL } from "../../lib/redirection/types";
import { sandboxPassword } from "../../lib/redirection/sandbox-account";
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

let db: Db;
let sim: Simulator;
const dataDir = process.env.PORTAL_TEST_DIR!;

function makeWorker(opts: { concurrency?: number } = {}) {
  return createSyncWorker({
    db,
    workerId: "test",
    concurrency: opts.concurrency ?? 4,
    pollMs: 50,
    backoff: { baseMs: 20, maxMs: 100, maxAttempts: 12 },
    resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
  });
}

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});
beforeEach(() => sim.reset());

describe("sync worker", () => {
  it("registers every queued phone with its effective URL and records each call", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 25, { firstMac: 0x100 });
    await makeWorker().runUntilIdle();

    expect(await statusCounts(db, org.id)).toEqual({ synced: 25 });
    expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(0);
    const state = sim.state();
    for (const p of phones) {
      expect(state.phones[p.mac]).toEqual({ owner: SIM_USER, url: URL_TEMPLATE });
      expect(sim.callCount("redirect.registerPhone", p.mac)).toBe(1);
    }
    const phone = await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } });
    expect(phone).toMatchObject({ registeredUrl: URL_TEMPLATE, attempts: 1, lastErrorCode: null, nextAttemptAt: null });
    expect(phone.syncedAt).toBeInstanceOf(Date);
    const events = await db.syncEvent.findMany({ where: { phoneId: phones[0].id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      organizationId: org.id,
      mac: phones[0].mac,
      method: "registerPhone",
      outcome: "ok",
      actor: "worker:test",
      url: URL_TEMPLATE,
      httpStatus: 200,
    });
    expect(events[0].rawExcerpt!.length).toBeLessThanOrEqual(500);
  });

  it("uses the phone override, then the customer template, then the organization's", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 2, { firstMac: 0x200, customerUrlTemplate: "https://cust.example.net/{mac}" });
    await db.phone.update({ where: { id: phones[1].id }, data: { urlOverride: "https://own.example.net/{mac}.cfg" } });
    await makeWorker().runUntilIdle();
    expect(sim.state().phones[phones[0].mac].url).toBe("https://cust.example.net/{mac}");
    expect(sim.state().phones[phones[1].mac].url).toBe("https://own.example.net/{mac}.cfg");
  });

  it("marks phones without any URL needs_url and makes no call", async () => {
    const org = await createCustomOrg(db, sim.url, { urlTemplate: null });
    const { phones } = await createQueuedPhones(db, org.id, 3, { firstMac: 0x300 });
    await makeWorker().runUntilIdle();
    expect(await statusCounts(db, org.id)).toEqual({ needs_url: 3 });
    expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(0);
    for (const p of phones) expect(sim.callCount(undefined, p.mac)).toBe(0);
  });

  it("parks a MAC owned by another account as owned_elsewhere with its owner, after exactly one register call", async () => {
    const org = await createCustomOrg(db, sim.url);
    const mac = FOREIGN_MACS[0];
    const { phones } = await createQueuedPhones(db, org.id, 1, { macs: [mac] });
    await makeWorker().runUntilIdle({ includeDelayed: true });

    const phone = await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } });
    expect(phone).toMatchObject({ syncStatus: "owned_elsewhere", ownerCompany: FOREIGN_ACCOUNT_COMPANY, lastErrorCode: "owned_by_other_user", nextAttemptAt: null });
    expect(sim.callCount("redirect.registerPhone", mac)).toBe(1);
    expect(sim.callCount("redirect.getPhoneRedirection", mac)).toBe(1);
    expect(sim.state().phones[mac].owner).not.toBe(SIM_USER);
    expect(await db.syncJob.count({ where: { phoneId: phone.id } })).toBe(0);
    const methods = (await db.syncEvent.findMany({ where: { phoneId: phone.id }, orderBy: { method: "asc" } })).map((e) => `${e.method}:${e.outcome}`);
    expect(methods).toEqual(["getPhoneRedirection:ok", "registerPhone:owned_by_other_user"]);
  });

  it("rejects a URL the service calls malformed, without retrying", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 1, { firstMac: 0x400 });
    await db.phone.update({ where: { id: phones[0].id }, data: { urlOverride: "ftp://not-a-provisioning-url" } });
    await makeWorker().runUntilIdle({ includeDelayed: true });
    const phone = await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } });
    expect(phone).toMatchObject({ syncStatus: "rejected", lastErrorCode: "malformed_url", nextAttemptAt: null });
    expect(sim.callCount("redirect.registerPhone", phones[0].mac)).toBe(1);
  });

  it("coalesces: a phone changed twice before its job runs gets one call with the latest URL", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 1, { firstMac: 0x500 });
    for (const url of ["https://first.example.net/{mac}", "https://second.example.net/{mac}"]) {
      await db.$transaction(async (tx) => {
        await tx.phone.update({ where: { id: phones[0].id }, data: { urlOverride: url } });
        await enqueuePhoneSync(tx, org.id, [phones[0].id]);
      });
    }
    expect(await db.syncJob.count({ where: { phoneId: phones[0].id } })).toBe(1);
    await makeWorker().runUntilIdle();
    expect(sim.callCount("redirect.registerPhone", phones[0].mac)).toBe(1);
    expect(sim.state().phones[phones[0].mac].url).toBe("https://second.example.net/{mac}");
    expect(await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } })).toMatchObject({
      syncStatus: "synced",
      registeredUrl: "https://second.example.net/{mac}",
    });
  });

  it("runs a job again when its phone changed while the call was in flight", async () => {
    sim.setLatency(300);
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 1, { firstMac: 0x600 });
    const worker = makeWorker();
    worker.start();
    try {
      await waitFor(async () => (await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } })).syncStatus === "syncing");
      await db.$transaction(async (tx) => {
        await tx.phone.update({ where: { id: phones[0].id }, data: { urlOverride: "https://moved.example.net/{mac}" } });
        await enqueuePhoneSync(tx, org.id, [phones[0].id]);
      });
      await worker.runUntilIdle();
    } finally {
      await worker.stop();
    }
    expect(sim.callCount("redirect.registerPhone", phones[0].mac)).toBe(2);
    expect(sim.state().phones[phones[0].mac].url).toBe("https://moved.example.net/{mac}");
    expect(await db.phone.findUniqueOrThrow({ where: { id: phones[0].id } })).toMatchObject({
      syncStatus: "synced",
      registeredUrl: "https://moved.example.net/{mac}",
    });
    expect(await db.syncJob.count({ where: { phoneId: phones[0].id } })).toBe(0);
  });

  it("deregisters deleted phones and removes their rows; an already-gone MAC counts as done", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 2, { firstMac: 0x700 });
    await makeWorker().runUntilIdle();
    expect(sim.state().phones[phones[0].mac]).toBeDefined();
    // The second MAC disappears from the service behind our back (the control interface forgets all).
    await fetch(new URL("/_control/reset", sim.url), { method: "POST" });
    await db.$transaction((tx) => markPhonesForRemoval(tx, org.id, phones.map((p) => p.id)));
    expect(await statusCounts(db, org.id)).toEqual({ removing: 2 });
    // Put the first one back so it has something to deregister.
    const { registerPhone } = await import("../../lib/redirection/client");
    expect((await registerPhone({ url: sim.url, username: SIM_USER, password: SIM_PASSWORD }, phones[0].mac, URL_TEMPLATE)).kind).toBe("ok");

    await makeWorker().runUntilIdle({ includeDelayed: true });
    expect(await db.phone.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(0);
    expect(sim.state().phones[phones[0].mac]).toBeUndefined();
    const outcomes = await db.syncEvent.findMany({ where: { organizationId: org.id, method: "deregisterPhone" }, orderBy: { mac: "asc" } });
    expect(outcomes.map((e) => e.outcome)).toEqual(["ok", "no_such_mac"]);
  });

  it("pauses the organization on bad credentials, makes no further calls, and resumes once cleared", async () => {
    const org = await createCustomOrg(db, sim.url, { password: "wrong password" });
    const { phones } = await createQueuedPhones(db, org.id, 12, { firstMac: 0x800 });
    const worker = makeWorker({ concurrency: 3 });
    await worker.runUntilIdle({ includeDelayed: true });

    const paused = await db.organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(paused.rdsPausedAt).toBeInstanceOf(Date);
    expect(paused.rdsPausedReason).toBe("The redirection service refused the username or password (HTTP 401).");
    const callsAtPause = sim.state().calls.length;
    expect(callsAtPause).toBeGreaterThan(0);
    expect(callsAtPause).toBeLessThanOrEqual(3); // only the calls already in flight
    expect(sim.state().calls.every((c) => c.outcome === "auth_failed")).toBe(true);
    expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(12);
    const jobs = await db.syncJob.findMany({ where: { organizationId: org.id } });
    expect(jobs.every((j) => j.attempts === 0 && j.claimToken === null)).toBe(true);
    expect(await db.phone.count({ where: { organizationId: org.id, syncStatus: { in: ["syncing", "failed"] } } })).toBe(0);

    // Still paused: nothing is called, by this worker or a new one.
    await worker.runUntilIdle();
    await makeWorker().runUntilIdle();
    expect(sim.state().calls.length).toBe(callsAtPause);

    await db.organization.update({
      where: { id: org.id },
      data: { rdsPasswordEnc: encryptSecret(SIM_PASSWORD, Buffer.from(TEST_KEY_HEX, "hex")) },
    });
    await resumeOrganizationQueue(db, org.id);
    await worker.runUntilIdle({ includeDelayed: true });
    expect(await statusCounts(db, org.id)).toEqual({ synced: 12 });
    for (const p of phones) expect(sim.state().phones[p.mac]?.url).toBe(URL_TEMPLATE);
  });

  it("keeps the newest 50 events per phone", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 2, { firstMac: 0x900 });
    const base = Date.now() - 100_000;
    await db.syncEvent.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        organizationId: org.id,
        phoneId: phones[0].id,
        mac: phones[0].mac,
        method: "registerPhone",
        outcome: "transient",
        actor: "worker:test",
        durationMs: 1,
        createdAt: new Date(base + i * 10),
      })),
    });
    await db.syncEvent.create({
      data: { organizationId: org.id, phoneId: phones[1].id, mac: phones[1].mac, method: "registerPhone", outcome: "ok", actor: "t", durationMs: 1 },
    });
    expect(await pruneSyncHistory(db, 50)).toBe(10);
    const kept = await db.syncEvent.findMany({ where: { phoneId: phones[0].id }, orderBy: { createdAt: "asc" } });
    expect(kept).toHaveLength(50);
    expect(kept[0].createdAt.getTime()).toBe(base + 100);
    expect(await db.syncEvent.count({ where: { phoneId: phones[1].id } })).toBe(1);
    await db.syncJob.deleteMany({ where: { organizationId: org.id } }); // never run: keep later tests' call logs clean
  });
});

describe("resolveAccount", () => {
  it("decrypts CUSTOM credentials, uses SRAPS' fixed endpoint, and needs a sandbox URL for SANDBOX", async () => {
    const org = await createCustomOrg(db, "http://127.0.0.1:1/xmlrpc/");
    const opts = { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 1234 };
    expect(await resolveAccount(db, org.id, opts)).toEqual({ url: "http://127.0.0.1:1/xmlrpc/", username: SIM_USER, password: SIM_PASSWORD, timeoutMs: 1234 });

    await db.organization.update({ where: { id: org.id }, data: { rdsEndpointKind: "SRAPS" } });
    expect(await resolveAccount(db, org.id, opts)).toMatchObject({ url: SRAPS_URL, username: SIM_USER, password: SIM_PASSWORD });

    await db.organization.update({ where: { id: org.id }, data: { rdsEndpointKind: "SANDBOX" } });
    expect(await resolveAccount(db, org.id, opts)).toBeNull();
    expect(await resolveAccount(db, org.id, { ...opts, sandboxUrl: sim.url })).toMatchObject({ url: sim.url, username: `sandbox-${org.id}`, password: sandboxPassword(org.id, Buffer.from(TEST_KEY_HEX, "hex")) });

    await db.organization.update({ where: { id: org.id }, data: { rdsEndpointKind: "CUSTOM", rdsPasswordEnc: null } });
    expect(await resolveAccount(db, org.id, opts)).toBeNull();
    expect(await resolveAccount(db, "no-such-org", opts)).toBeNull();
  });

  it("leaves jobs of an organization without a usable account queued, making no call, and due for an instance that has it", async () => {
    const org = await createCustomOrg(db, sim.url);
    await db.organization.update({ where: { id: org.id }, data: { rdsEndpointKind: "SANDBOX" } });
    const { phones } = await createQueuedPhones(db, org.id, 2, { firstMac: 0xa00 });
    // This instance has no sandbox (a shared deployment without SANDBOX_URL): it makes no call…
    await makeWorker().runUntilIdle();
    expect(sim.state().calls).toEqual([]);
    const jobs = await db.syncJob.findMany({ where: { organizationId: org.id } });
    expect(jobs).toHaveLength(2);
    // …and hands the jobs back as they were, not deferred: one misconfigured instance must not hold them up.
    expect(jobs.every((j) => j.claimToken === null && j.leaseUntil === null && j.runAfter.getTime() <= Date.now())).toBe(true);
    const other = createSyncWorker({
      db,
      workerId: "other-instance",
      pollMs: 50,
      resolveAccount: (orgId) =>
        resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000, sandboxUrl: sim.url }),
    });
    await other.runUntilIdle();
    expect(sim.state().calls.filter((c) => c.method === "redirect.registerPhone")).toHaveLength(2);
    expect(phones).toHaveLength(2);
  });
});
