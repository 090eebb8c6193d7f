// Import from the service, reconcile, fixes and the owned-elsewhere recheck (issue 12), against our
// simulator and against an independent XML-RPC server built here on the xmlrpc package's Server,
// both over loopback HTTP and both holding registrations made before the portal knew them: some
// ours and matching, some ours with another URL, some ours and unknown to the portal, some another account's.
import { mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import xmlrpc from "xmlrpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { applyFix, readRun, ReconcileError, startScan, UNASSIGNED_CUSTOMER } from "../../lib/reconcile/engine";
import { recheckOwnedElsewhere } from "../../lib/reconcile/recheck";
import { applyRepoint, planRepoint, repointProgress, rollbackRepoint } from "../../lib/reconcile/repoint";
import { runSchedulePass } from "../../lib/reconcile/schedule";
import { countByCategory, releaseRequestText } from "../../lib/reconcile/types";
import { deregisterPhone, listPhones, registerPhone } from "../../lib/redirection/client";
import {
  FOREIGN_ACCOUNT_COMPANY,
  FOREIGN_ACCOUNT_USERNAME,
  FOREIGN_MACS,
  type Simulator,
} from "../../lib/redirection/simulator";
import type { RdsAccount } from "../../lib/redirection/types";
import { resolveAccount } from "../../lib/sync/account";
import { createSyncWorker } from "../../lib/sync/worker";
import { createCustomer, snomMac } from "../factories";
import {
  createCustomOrg,
  SIM_COMPANY,
  SIM_PASSWORD,
  SIM_USER,
  startTestSimulator,
  TEST_KEY_HEX,
  URL_TEMPLATE,
} from "../support/sync-fixtures";

const dataDir = process.env.PORTAL_TEST_DIR!;
const OLD_URL = "https://old-prov.example.net/{mac}.cfg";
const ORPHAN_URL = "https://orphan.example.net/snom/{mac}.xml";
const FOREIGN_PASSWORD = "foreign-password";

/** What a backend offers the scenario: its endpoint, a way to seed "ours" registrations, and a way for the other account to release a MAC. */
type Backend = {
  url: string;
  seedOurs(mac: string, url: string): Promise<void>;
  ownedElsewhere: string;
  ownerCompany: string;
  release(mac: string): Promise<void>;
  state(mac: string): { owner: string; url: string } | undefined;
  close(): Promise<void>;
};

async function simulatorBackend(): Promise<Backend> {
  const sim: Simulator = await startTestSimulator({
    accounts: [
      { username: SIM_USER, password: SIM_PASSWORD, company: SIM_COMPANY },
      { username: FOREIGN_ACCOUNT_USERNAME, password: FOREIGN_PASSWORD, company: FOREIGN_ACCOUNT_COMPANY },
    ],
  });
  const ours: RdsAccount = { url: sim.url, username: SIM_USER, password: SIM_PASSWORD, timeoutMs: 2_000 };
  const foreign: RdsAccount = {
    url: sim.url,
    username: FOREIGN_ACCOUNT_USERNAME,
    password: FOREIGN_PASSWORD,
    timeoutMs: 2_000,
  };
  return {
    url: sim.url,
    async seedOurs(mac, url) {
      expect((await registerPhone(ours, mac, url)).kind).toBe("ok");
    },
    ownedElsewhere: FOREIGN_MACS[0],
    ownerCompany: FOREIGN_ACCOUNT_COMPANY,
    async release(mac) {
      expect((await deregisterPhone(foreign, mac)).kind).toBe("ok");
    },
    state: (mac) => sim.state().phones[mac],
    close: () => sim.close(),
  };
}

/**
 * An independent service: the xmlrpc package's own Server with the documented reply shapes, not
 * our simulator. It files every phone of ours under "snomD765" except one under a model no client
 * lists, so the scan has to ask checkPhone about it.
 */
async function independentBackend(): Promise<Backend> {
  const phones = new Map<string, { owner: string; url: string; model: string }>();
  const OTHER = "someone-else";
  phones.set("00041377AA01", { owner: OTHER, url: "https://elsewhere.example/{mac}", model: "snomD765" });
  const server = xmlrpc.createServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.httpServer.once("listening", resolve));
  const company = (owner: string) => (owner === SIM_USER ? "Independent Reseller" : "Elsewhere Telecom Ltd");
  type Cb = (err: unknown, value: unknown) => void;
  server.on("redirect.listPhones", (_e: unknown, [type]: [string], cb: Cb) =>
    cb(
      null,
      [...phones].filter(([, p]) => p.owner === SIM_USER && p.model === type).map(([m]) => m),
    ),
  );
  server.on("redirect.getPhoneRedirection", (_e: unknown, [mac]: [string], cb: Cb) => {
    const p = phones.get(mac);
    cb(null, p ? [true, company(p.owner), p.url] : [false, "Error:no_such_mac"]);
  });
  server.on("redirect.checkPhone", (_e: unknown, [mac]: [string], cb: Cb) => {
    const p = phones.get(mac);
    cb(
      null,
      !p ? [false, "Error:no_such_mac"] : p.owner === SIM_USER ? [true, "Ok"] : [false, "Error:owned_by_other_user"],
    );
  });
  server.on("redirect.registerPhone", (_e: unknown, [mac, url]: [string, string], cb: Cb) => {
    const p = phones.get(mac);
    if (p && p.owner !== SIM_USER) return cb(null, [false, "Error:owned_by_other_user"]);
    phones.set(mac, { owner: SIM_USER, url, model: p?.model ?? "snomD765" });
    cb(null, [true, "Ok"]);
  });
  server.on("redirect.deregisterPhone", (_e: unknown, [mac]: [string], cb: Cb) => {
    const p = phones.get(mac);
    if (!p) return cb(null, [false, "Error:no_such_mac"]);
    if (p.owner !== SIM_USER) return cb(null, [false, "Error:owned_by_other_user"]);
    phones.delete(mac);
    cb(null, [true, "Ok"]);
  });
  const port = (server.httpServer.address() as AddressInfo).port;
  let seeded = 0;
  return {
    url: `http://127.0.0.1:${port}/xmlrpc/`,
    async seedOurs(mac, url) {
      // The first one is filed under a model nobody lists.
      phones.set(mac, { owner: SIM_USER, url, model: seeded++ === 0 ? "snomFuture1" : "snomD765" });
    },
    ownedElsewhere: "00041377AA01",
    ownerCompany: "Elsewhere Telecom Ltd",
    async release(mac) {
      phones.delete(mac);
    },
    state: (mac) => phones.get(mac),
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

let db: Db;
beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

describe.each([
  ["our simulator", simulatorBackend],
  ["an independent XML-RPC server", independentBackend],
])("against %s", (_name, makeBackend) => {
  let backend: Backend;
  let org: { id: string };
  let account: RdsAccount;
  const mac = (n: number, base: number) => snomMac(base + n);
  let base = 0;
  let customerId = "";

  beforeAll(async () => {
    backend = await makeBackend();
    base = 0x500000 + Math.floor(Math.random() * 0x10000) * 16;
    org = await createCustomOrg(db, backend.url);
    account = (await resolveAccount(db, org.id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }))!;
    const customer = await createCustomer(db, org.id, { name: "Acme" });
    customerId = customer.id;
    // In the portal: 3 in sync, 2 drifted, 1 missing, 1 owned by another account.
    const portalMacs = [
      mac(1, base),
      mac(2, base),
      mac(3, base),
      mac(4, base),
      mac(5, base),
      mac(6, base),
      backend.ownedElsewhere,
    ];
    await db.phone.createMany({
      data: portalMacs.map((m) => ({
        organizationId: org.id,
        customerId: customer.id,
        mac: m,
        syncStatus: "synced",
        registeredUrl: URL_TEMPLATE,
      })),
    });
    for (const n of [1, 2, 3]) await backend.seedOurs(mac(n, base), URL_TEMPLATE);
    for (const n of [4, 5]) await backend.seedOurs(mac(n, base), OLD_URL);
    // At the service only: two orphans.
    for (const n of [7, 8]) await backend.seedOurs(mac(n, base), ORPHAN_URL);
  });
  afterAll(() => backend.close());

  async function scan(kind: "import" | "reconcile") {
    const { runId, finished } = await startScan(db, org.id, account, { kind, trigger: "user:test", concurrency: 4 });
    await finished;
    const run = (await readRun(db, org.id, runId))!;
    expect(run.status, run.error ?? "").toBe("done");
    return run;
  }
  const byMac = (run: { entries: { mac: string; category: string }[] }) =>
    Object.fromEntries(run.entries.map((e) => [e.mac, e.category]));

  it("previews an import of what the account holds (new / same URL / different URL) without writing anything", async () => {
    const phonesBefore = await db.phone.count({ where: { organizationId: org.id } });
    const customersBefore = await db.customer.count({ where: { organizationId: org.id } });
    const run = await scan("import");
    const held = run.entries.filter((e) => e.category !== "missing" && e.category !== "owned_elsewhere");
    expect(byMac({ entries: held })).toEqual({
      [mac(1, base)]: "in_sync",
      [mac(2, base)]: "in_sync",
      [mac(3, base)]: "in_sync",
      [mac(4, base)]: "drift",
      [mac(5, base)]: "drift",
      [mac(7, base)]: "orphan",
      [mac(8, base)]: "orphan",
    });
    expect(run.entries.find((e) => e.mac === mac(7, base))?.serviceUrl).toBe(ORPHAN_URL);
    expect(run.done).toBe(run.total);
    expect(await db.phone.count({ where: { organizationId: org.id } })).toBe(phonesBefore);
    expect(await db.customer.count({ where: { organizationId: org.id } })).toBe(customersBefore);
  });

  it("imports the new MACs into an Unassigned customer on confirmation, keeping the service's URL", async () => {
    const run = await scan("import");
    const result = await applyFix(db, org.id, account, {
      runId: run.id,
      fix: "import",
      macs: [mac(7, base)],
      actor: "user:test",
      concurrency: 4,
    });
    expect(result).toEqual({ applied: 1, failed: [], skipped: 0 });
    const phone = await db.phone.findFirstOrThrow({
      where: { organizationId: org.id, mac: mac(7, base) },
      include: { customer: true },
    });
    expect(phone.customer.number).toBe(UNASSIGNED_CUSTOMER.number);
    expect(phone).toMatchObject({ urlOverride: ORPHAN_URL, registeredUrl: ORPHAN_URL, syncStatus: "synced" });
    expect(await db.syncEvent.count({ where: { phoneId: phone.id, method: "reconcile.import" } })).toBe(1);
    // Applying again does nothing: the row is marked fixed.
    expect(
      (
        await applyFix(db, org.id, account, {
          runId: run.id,
          fix: "import",
          macs: [mac(7, base)],
          actor: "user:test",
          concurrency: 4,
        })
      ).applied,
    ).toBe(0);
  });

  it("reports in sync, drift, missing, orphan and owned elsewhere, and fixes each kind with history", async () => {
    const run = await scan("reconcile");
    expect(byMac(run)).toMatchObject({
      [mac(1, base)]: "in_sync",
      [mac(4, base)]: "drift",
      [mac(6, base)]: "missing",
      [mac(7, base)]: "in_sync",
      [mac(8, base)]: "orphan",
      [backend.ownedElsewhere]: "owned_elsewhere",
    });
    expect(countByCategory(run.entries)).toMatchObject({
      in_sync: 4,
      drift: 2,
      missing: 1,
      orphan: 1,
      owned_elsewhere: 1,
      error: 0,
    });
    // Another account's URL is never shown as something to adopt.
    expect(run.entries.find((e) => e.mac === backend.ownedElsewhere)?.serviceUrl).toBeNull();

    const fix = (f: "push" | "adopt" | "deregister", macs: string[]) =>
      applyFix(db, org.id, account, { runId: run.id, fix: f, macs, actor: "user:test", concurrency: 4 });
    expect((await fix("push", [mac(4, base), mac(6, base)])).applied).toBe(2);
    expect(backend.state(mac(4, base))?.url).toBe(URL_TEMPLATE);
    expect(backend.state(mac(6, base))?.url).toBe(URL_TEMPLATE);
    expect((await fix("adopt", [mac(5, base)])).applied).toBe(1);
    expect(
      await db.phone.findFirst({ where: { organizationId: org.id, mac: mac(5, base) }, select: { urlOverride: true } }),
    ).toEqual({ urlOverride: OLD_URL });
    expect((await fix("deregister", [mac(8, base)])).applied).toBe(1);
    expect(backend.state(mac(8, base))).toBeUndefined();
    // A fix the row does not offer is skipped.
    expect(await fix("deregister", [mac(1, base)])).toEqual({ applied: 0, failed: [], skipped: 1 });

    const history = await db.syncEvent.findMany({
      where: { organizationId: org.id, actor: "user:test" },
      select: { mac: true, method: true, outcome: true },
    });
    expect(history).toEqual(
      expect.arrayContaining([
        { mac: mac(4, base), method: "registerPhone", outcome: "ok" },
        { mac: mac(5, base), method: "reconcile.adopt", outcome: "ok" },
        { mac: mac(6, base), method: "registerPhone", outcome: "ok" },
        { mac: mac(8, base), method: "deregisterPhone", outcome: "ok" },
      ]),
    );

    const after = await scan("reconcile");
    expect(countByCategory(after.entries)).toMatchObject({
      in_sync: 7,
      drift: 0,
      missing: 0,
      orphan: 0,
      owned_elsewhere: 1,
    });
  });

  it("parks an owned-elsewhere phone, re-checks it daily and queues it once the owner released it", async () => {
    const owned = await db.phone.findFirstOrThrow({ where: { organizationId: org.id, mac: backend.ownedElsewhere } });
    await db.phone.update({
      where: { id: owned.id },
      data: { syncStatus: "owned_elsewhere", ownerCompany: null, ownerCheckedAt: null },
    });
    const opts = { concurrency: 4, actor: "schedule:owner-recheck" };

    // Parked a moment ago: the owner was just asked, so not due before tomorrow.
    expect((await recheckOwnedElsewhere(db, org.id, account, opts)).checked).toBe(0);
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    expect(await recheckOwnedElsewhere(db, org.id, account, { ...opts, now: tomorrow })).toEqual({
      checked: 1,
      released: 0,
      stillOwned: 1,
      failed: 0,
    });
    expect(await db.phone.findUniqueOrThrow({ where: { id: owned.id } })).toMatchObject({
      syncStatus: "owned_elsewhere",
      ownerCompany: backend.ownerCompany,
    });
    // Checked "tomorrow": not due again that day.
    expect((await recheckOwnedElsewhere(db, org.id, account, { ...opts, now: tomorrow })).checked).toBe(0);

    const text = releaseRequestText({
      mac: owned.mac,
      serial: "SN-1",
      ownerCompany: backend.ownerCompany,
      ourCompany: "Us",
    });
    expect(text).toContain(backend.ownerCompany);
    expect(text).toContain(owned.mac.match(/.{2}/g)!.join(":"));
    expect(text).toContain("SN-1");

    await backend.release(owned.mac);
    const dayAfter = new Date(Date.now() + 50 * 3_600_000);
    expect(await recheckOwnedElsewhere(db, org.id, account, { ...opts, now: dayAfter })).toMatchObject({ released: 1 });
    expect(await db.phone.findUniqueOrThrow({ where: { id: owned.id } })).toMatchObject({ syncStatus: "pending" });

    const worker = createSyncWorker({
      db,
      workerId: "reconcile-test",
      concurrency: 2,
      pollMs: 50,
      resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
    });
    await worker.runUntilIdle();
    expect(await db.phone.findUniqueOrThrow({ where: { id: owned.id } })).toMatchObject({ syncStatus: "synced" });
    expect(backend.state(owned.mac)?.owner).toBe(SIM_USER);
  });

  it("re-points a customer's phones after a dry run, through the queue, and rolls them back in one action", async () => {
    const NEW_URL = "https://new-prov.example.net/snom/{mac}.xml";
    const plan = await planRepoint(db, org.id, { customerId }, NEW_URL);
    expect(plan.items.map((i) => i.mac).sort()).toEqual(
      [
        mac(1, base),
        mac(2, base),
        mac(3, base),
        mac(4, base),
        mac(5, base),
        mac(6, base),
        backend.ownedElsewhere,
      ].sort(),
    );
    expect(plan.items.find((i) => i.mac === mac(5, base))).toMatchObject({
      oldUrl: OLD_URL,
      oldOverride: OLD_URL,
      newUrl: NEW_URL,
    });
    expect(plan.changed).toBe(7);
    // The dry run wrote nothing.
    expect(await db.phone.count({ where: { organizationId: org.id, urlOverride: NEW_URL } })).toBe(0);

    const worker = createSyncWorker({
      db,
      workerId: "repoint-test",
      concurrency: 4,
      pollMs: 50,
      resolveAccount: (orgId) => resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }),
    });
    const { runId, queued } = await applyRepoint(db, org.id, { customerId }, NEW_URL, "user:test");
    expect(queued).toBe(7);
    expect((await repointProgress(db, org.id, runId))?.byStatus).toEqual({ pending: 7 });
    await worker.runUntilIdle();
    const progress = (await repointProgress(db, org.id, runId))!;
    expect(progress.byStatus).toEqual({ synced: 7 });
    for (const p of plan.items) expect(backend.state(p.mac)?.url, p.mac).toBe(NEW_URL);
    // The Unassigned customer's phone was not in scope.
    expect(backend.state(mac(7, base))?.url).toBe(ORPHAN_URL);

    expect(await rollbackRepoint(db, org.id, runId)).toEqual({ restored: 7, kept: 0 });
    await worker.runUntilIdle();
    for (const p of plan.items) expect(backend.state(p.mac)?.url, p.mac).toBe(p.oldUrl);
    await expect(rollbackRepoint(db, org.id, runId)).rejects.toThrow("already rolled back");
    expect(await repointProgress(db, "another-org", runId)).toBeNull();
  });
});

describe("reconcile boundaries", () => {
  it("lists an account larger than one ordinary reply (6 000 phones of one model), still bounded", async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "reconcile-big-")), "state.json");
    const macs = Array.from({ length: 6_000 }, (_, i) => snomMac(0x700000 + i));
    writeFileSync(
      stateFile,
      JSON.stringify({ phones: Object.fromEntries(macs.map((m) => [m, { owner: SIM_USER, url: URL_TEMPLATE }])) }),
    );
    const sim = await startTestSimulator({ stateFile, seedForeignMacs: false });
    try {
      const res = await listPhones(
        { url: sim.url, username: SIM_USER, password: SIM_PASSWORD, timeoutMs: 5_000 },
        "snomD785",
      );
      expect(res.kind === "ok" ? res.data.length : res).toBe(6_000);
    } finally {
      await sim.close();
    }
  });

  it("refuses a run of another organization and a second scan while one runs", async () => {
    const backend = await simulatorBackend();
    try {
      const a = await createCustomOrg(db, backend.url);
      const b = await createCustomOrg(db, backend.url);
      const account = (await resolveAccount(db, a.id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }))!;
      const { runId, finished } = await startScan(db, a.id, account, {
        kind: "reconcile",
        trigger: "user:test",
        concurrency: 2,
      });
      await expect(
        startScan(db, a.id, account, { kind: "reconcile", trigger: "user:test", concurrency: 2 }),
      ).rejects.toThrow(ReconcileError);
      await finished;
      expect(await readRun(db, b.id, runId)).toBeNull();
      await expect(
        applyFix(db, b.id, account, { runId, fix: "push", macs: [], actor: "user:x", concurrency: 2 }),
      ).rejects.toThrow("does not exist");
    } finally {
      await backend.close();
    }
  });

  it("shows a scan left running by a server that stopped as interrupted, and lets a new one start", async () => {
    const backend = await simulatorBackend();
    try {
      const org = await createCustomOrg(db, backend.url);
      const stale = await db.reconcileRun.create({
        data: {
          organizationId: org.id,
          kind: "reconcile",
          trigger: "user:test",
          startedAt: new Date(Date.now() - 2 * 3_600_000),
        },
      });
      expect(await readRun(db, org.id, stale.id)).toMatchObject({
        status: "failed",
        error: expect.stringContaining("interrupted"),
      });
      const account = (await resolveAccount(db, org.id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }))!;
      const { finished } = await startScan(db, org.id, account, {
        kind: "reconcile",
        trigger: "user:test",
        concurrency: 2,
      });
      await finished;
    } finally {
      await backend.close();
    }
  });

  it("ends a scan refused by the service with a clear message", async () => {
    const backend = await simulatorBackend();
    try {
      const org = await createCustomOrg(db, backend.url);
      const account: RdsAccount = { url: backend.url, username: SIM_USER, password: "wrong", timeoutMs: 2_000 };
      const { runId, finished } = await startScan(db, org.id, account, {
        kind: "import",
        trigger: "user:test",
        concurrency: 2,
      });
      await finished;
      expect(await readRun(db, org.id, runId)).toMatchObject({
        status: "failed",
        error: expect.stringContaining("refused the account's credentials"),
      });
    } finally {
      await backend.close();
    }
  });

  it("the schedule leaves an organization whose circuit is open (its service is down) until it closes", async () => {
    const backend = await simulatorBackend();
    try {
      const down = await createCustomOrg(db, backend.url);
      await db.organization.update({
        where: { id: down.id },
        data: {
          circuitOpenedAt: new Date(),
          circuitNextProbeAt: new Date(Date.now() + 5_000),
          circuitLastError: "HTTP 503",
        },
      });
      const pass = () =>
        runSchedulePass({
          db,
          concurrency: 2,
          resolveAccount: async (id) =>
            id === down.id ? resolveAccount(db, id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }) : null,
        });
      await pass();
      expect(await db.reconcileRun.count({ where: { organizationId: down.id } })).toBe(0);
      await db.organization.update({
        where: { id: down.id },
        data: { circuitOpenedAt: null, circuitNextProbeAt: null },
      });
      await pass();
      expect(await db.reconcileRun.count({ where: { organizationId: down.id, trigger: "schedule" } })).toBe(1);
    } finally {
      await backend.close();
    }
  });

  it("the schedule reconciles a due organization and leaves one that is not due or off", async () => {
    const backend = await simulatorBackend();
    try {
      const due = await createCustomOrg(db, backend.url);
      const off = await createCustomOrg(db, backend.url);
      await db.organization.update({ where: { id: off.id }, data: { reconcileEveryHours: 0 } });
      const recent = await createCustomOrg(db, backend.url);
      await db.organization.update({ where: { id: recent.id }, data: { reconcileLastAt: new Date() } });
      const ids = new Set([due.id, off.id, recent.id]);
      await runSchedulePass({
        db,
        concurrency: 2,
        resolveAccount: async (id) =>
          ids.has(id) ? resolveAccount(db, id, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 2_000 }) : null,
      });
      expect(await db.reconcileRun.count({ where: { organizationId: due.id, trigger: "schedule" } })).toBe(1);
      expect(await db.reconcileRun.count({ where: { organizationId: off.id } })).toBe(0);
      expect(await db.reconcileRun.count({ where: { organizationId: recent.id } })).toBe(0);
    } finally {
      await backend.close();
    }
  });
});
