// Races that SQLite's single writer hides and PostgreSQL shows (docs/decisions/0015-concurrency.md):
// every race runs many rounds of concurrent calls through the real functions, each call on its own
// Prisma client (its own connection), as several app instances or workers would. Runs on SQLite and,
// with TEST_POSTGRES_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "@/lib/db-core";
import { ALREADY_SET_UP_MESSAGE, setupFirstRun } from "@/lib/data/organizations";
import { withTransactionRetry } from "@/lib/data/retry";
import { updateUserAccess } from "@/lib/data/users";
import { commitImport } from "@/lib/import/commit";
import { createOrganizationWithAdmin } from "@/lib/org-bootstrap";
import { importCustomerId, ReconcileError, startScan, UNASSIGNED_CUSTOMER } from "@/lib/reconcile/engine";
import type { Simulator } from "@/lib/redirection/simulator";
import { resolveAccount } from "@/lib/sync/account";
import { enqueuePhoneSync } from "@/lib/sync/outbox";
import { createSyncWorker } from "@/lib/sync/worker";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import {
  accountFor,
  createCustomOrg,
  createQueuedPhones,
  startTestSimulator,
  TEST_KEY_HEX,
} from "../support/sync-fixtures";
import { createTestDatabase, onPostgres } from "../support/test-db";

const ROUNDS = 20;
const CLIENTS = 8;

let clients: Db[];
let db: Db;

beforeAll(() => {
  clients = Array.from({ length: CLIENTS }, () => createPrisma(process.env.DATABASE_URL!));
  db = clients[0];
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

/** 2 to CLIENTS concurrent callers, different each round. */
const width = (round: number) => 2 + (round % (CLIENTS - 1));

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("races", () => {
  it("first-run setup: however many submit at once, one organization and one admin; the others are told to sign in", async () => {
    // A database of its own: setup only runs while no user exists at all.
    const own = createTestDatabase("portal-races-setup-");
    const setupClients = Array.from({ length: CLIENTS }, () => createPrisma(own.url));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await setupClients[0].organization.deleteMany({});
        const n = width(round);
        const results = await Promise.all(
          setupClients
            .slice(0, n)
            .map((client, i) =>
              setupFirstRun(
                {
                  organizationName: `Org ${round}-${i}`,
                  urlTemplate: null,
                  name: `Admin ${i}`,
                  email: `admin-${round}-${i}@example.test`,
                  password: "a-long-password",
                },
                client,
              ),
            ),
        );
        expect(results.filter((r) => r !== "already_set_up")).toEqual([{ ok: true }]);
        expect(results.filter((r) => r === "already_set_up")).toHaveLength(n - 1);
        expect(await setupClients[0].organization.count()).toBe(1);
        expect(await setupClients[0].user.count()).toBe(1);
      }
      expect(ALREADY_SET_UP_MESSAGE).toBe("The portal was just set up by someone else: sign in.");
    } finally {
      await Promise.all(setupClients.map((c) => c.$disconnect()));
    }
  });

  it("org:create with the same admin e-mail at once: one organization, the others get a clear error", async () => {
    for (let round = 0; round < 4; round++) {
      const email = `cli-${round}@example.test`;
      const n = 2 + (round % 3);
      const results = await Promise.allSettled(
        clients
          .slice(0, n)
          .map((client, i) =>
            createOrganizationWithAdmin(client, { name: `CLI ${round}-${i}`, adminEmail: email }, "a-long-password"),
          ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected")
          expect(String(r.reason)).toContain(`A user with the e-mail ${email} already exists.`);
      }
      expect(await db.user.count({ where: { email } })).toBe(1);
    }
  });

  it("re-queuing the same phones at once: every call succeeds, one job per phone, its version counts every call", async () => {
    const org = await createOrganization(db);
    const customer = await createCustomer(db, org.id);
    for (let round = 0; round < ROUNDS; round++) {
      const n = width(round);
      const phones = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          db.phone.create({
            data: { organizationId: org.id, customerId: customer.id, mac: snomMac(0x10000 + round * 100 + i) },
            select: { id: true },
          }),
        ),
      );
      const ids = phones.map((p) => p.id);
      // The first phones have no job yet (the worker finished it): both callers insert one.
      // As the data functions do: retried when the transaction loses a race (SQLite: another
      // connection wrote since it read), but a unique violation is not retried: it must not happen.
      await Promise.all(
        clients
          .slice(0, n)
          .map((client) =>
            withTransactionRetry(() => client.$transaction((tx) => enqueuePhoneSync(tx, org.id, shuffled(ids))), {
              retryUnique: false,
            }),
          ),
      );
      const jobs = await db.syncJob.findMany({
        where: { phoneId: { in: ids } },
        select: { phoneId: true, version: true },
      });
      expect(jobs).toHaveLength(ids.length);
      // n calls: the first inserts version 1, each other one bumps it (the worker reruns a job whose version moved).
      for (const job of jobs) expect(job.version).toBe(n);
    }
  });

  it("overlapping imports of the same MACs: none fails or deadlocks, each MAC ends up once, the others report it as present", async () => {
    const org = await createOrganization(db);
    const user = await createUser(db, org.id);
    const customer = await createCustomer(db, org.id);
    const actor = { organizationId: org.id, userId: user.id };
    for (let round = 0; round < ROUNDS; round++) {
      const n = width(round);
      const base = 0x200000 + round * 1000;
      // Each import: 300 MACs, overlapping its neighbours', in its own order.
      const imports = Array.from({ length: n }, (_, i) =>
        shuffled(Array.from({ length: 300 }, (_, k) => snomMac(base + i * 100 + k))),
      );
      const results = await Promise.all(
        imports.map((macs, i) =>
          commitImport(clients[i], actor, { customerId: customer.id, rows: macs.map((mac) => ({ mac })) }),
        ),
      );
      const distinct = new Set(imports.flat());
      let created = 0;
      for (const [i, r] of results.entries()) {
        if (!r.ok) throw new Error(`import ${i} refused: ${r.error}`);
        expect(r.created + r.skipped).toBe(300);
        created += r.created;
      }
      expect(created).toBe(distinct.size);
      const range = { organizationId: org.id, mac: { gte: snomMac(base), lt: snomMac(base + 1000) } };
      const stored = await db.phone.findMany({ where: range, select: { id: true } });
      expect(stored).toHaveLength(distinct.size);
      expect(await db.syncJob.count({ where: { organizationId: org.id, mac: range.mac } })).toBe(distinct.size);
    }
  });

  it("two admins taking each other's admin role at once: one of them stays admin", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const org = await createOrganization(db);
      const a = await createUser(db, org.id, { role: "ADMIN" });
      const b = await createUser(db, org.id, { role: "ADMIN" });
      const actor = (u: { id: string }) => ({ id: u.id, organizationId: org.id, role: "ADMIN" as const });
      const results = await Promise.all([
        updateUserAccess(actor(a), b.id, { role: "SALES" }),
        updateUserAccess(actor(b), a.id, { role: "SALES" }),
      ]);
      expect(results.filter((r) => r?.ok)).toHaveLength(1);
      expect(results.find((r) => r && !r.ok)).toMatchObject({
        message: "The organization needs at least one active admin.",
      });
      expect(await db.user.count({ where: { organizationId: org.id, role: "ADMIN", disabled: false } })).toBe(1);
    }
  });

  it("reconcile scans of one organization started at once: one runs, the others are told one is running", async () => {
    // Each call takes 300 ms, so a scan is still running while the others check (a scan that already
    // finished may rightly be followed by a new one).
    const sim = await startTestSimulator({ latencyMs: 300 });
    try {
      for (let round = 0; round < 10; round++) {
        const org = await createCustomOrg(db, sim.url);
        const n = 2 + (round % 3);
        // On SQLite every connection here lives in this one process, and better-sqlite3 waits for a
        // lock synchronously: a scan's progress writes on one connection would stall the thread while
        // another connection's transaction holds the write lock. One process has one connection in
        // the portal (lib/db.ts), so on SQLite the calls share one client, as they do there.
        const racers = onPostgres ? clients : clients.map(() => db);
        const results = await Promise.allSettled(
          racers
            .slice(0, n)
            .map((client) =>
              startScan(client, org.id, accountFor(sim), {
                kind: "reconcile",
                trigger: "user:test",
                concurrency: 2,
                phoneTypes: ["snomD785"],
              }),
            ),
        );
        const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
        expect(started).toHaveLength(1);
        for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ReconcileError);
        await started[0].finished;
        expect(await db.reconcileRun.count({ where: { organizationId: org.id } })).toBe(1);
      }
    } finally {
      await sim.close();
    }
  });

  it("reconcile's Unassigned customer, asked for at once, is created once", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const org = await createOrganization(db);
      const ids = await Promise.all(
        clients.slice(0, width(round)).map((client) => importCustomerId(client, org.id, null)),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await db.customer.count({ where: { organizationId: org.id, number: UNASSIGNED_CUSTOMER.number } })).toBe(
        1,
      );
    }
  });
});

describe("leases on the database clock", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ latencyMs: 800 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("a worker whose clock runs a minute ahead never takes a job whose lease is still running", async () => {
    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 20, { firstMac: 0x300000 });
    // Only this organization's jobs (the races above left theirs queued).
    await db.syncJob.deleteMany({ where: { organizationId: { not: org.id } } });
    const worker = (client: Db, workerId: string, clockOffsetMs: number) =>
      createSyncWorker({
        db: client,
        workerId,
        concurrency: 20,
        claimBatchSize: 50,
        leaseMs: 5_000,
        pollMs: 50,
        clockOffsetMs,
        resolveAccount: (orgId) =>
          resolveAccount(client, orgId, {
            dataDir: process.env.PORTAL_TEST_DIR!,
            secretKeyHex: TEST_KEY_HEX,
            timeoutMs: 10_000,
          }),
      });
    const onTime = worker(clients[1], "on-time", 0);
    const ahead = worker(clients[2], "ahead", 60_000);
    onTime.start();
    // Every job is claimed and its call in flight before the skewed worker starts looking.
    for (let i = 0; i < 200 && onTime.stats().inFlight < phones.length; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(onTime.stats().inFlight).toBe(phones.length);
    ahead.start();
    await Promise.all([onTime.runUntilIdle(), ahead.runUntilIdle()]);
    await Promise.all([onTime.stop(), ahead.stop()]);

    expect(ahead.stats().claimed).toBe(0);
    for (const p of phones) expect(sim.callCount("redirect.registerPhone", p.mac)).toBe(1);
    expect(await db.phone.count({ where: { organizationId: org.id, syncStatus: "synced" } })).toBe(phones.length);
  });
});
