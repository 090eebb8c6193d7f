// Issue 13: the queries behind the list pages use the indexes made for them (plans of the SQL
// Prisma really sends, on data skewed like a distributor's), the planner has statistics, and
// searches treat `%`/`_` literally. Plans at 100 000 phones: docs/decisions/0011-scale.md.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe as vitestDescribe, expect, it } from "vitest";
import { createPrisma, sqliteFilePath, type Db } from "@/lib/db-core";
import type { Actor } from "@/lib/data/common";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { phoneKeys } from "@/lib/search-key";
import { createTestDatabase, onPostgres } from "../support/test-db";
import { explain, queryRecorder, type QueryPlan } from "../support/query-plans";

const recorder = queryRecorder();
// The plans checked here are SQLite's (EXPLAIN QUERY PLAN of the SQL Prisma sends). On PostgreSQL the
// same queries run through the other suites; its planner is not asserted here.
const describe = onPostgres ? vitestDescribe.skip : vitestDescribe;
const file = onPostgres ? "" : sqliteFilePath(process.env.DATABASE_URL!);
let db: Db;
let data: typeof import("@/lib/data/phones");
let customersData: typeof import("@/lib/data/customers");
let acme: Actor;
let bigId: string;
let smallId: string;
let phoneId: string;

const STATUSES = [
  "synced",
  "synced",
  "synced",
  "synced",
  "synced",
  "synced",
  "failed",
  "pending",
  "rejected",
  "needs_url",
];

beforeAll(async () => {
  // lib/db picks up this client (its globalThis slot), so every query of lib/data is recorded.
  db = createPrisma(process.env.DATABASE_URL!, { onQuery: recorder.onQuery });
  (globalThis as unknown as { prisma?: Db }).prisma = db;
  data = await import("@/lib/data/phones");
  customersData = await import("@/lib/data/customers");

  const org = await createOrganization(db, { name: "Distributor" });
  const admin = await createUser(db, org.id, { role: "ADMIN" });
  acme = { id: admin.id, organizationId: org.id, role: "ADMIN" };
  const big = await createCustomer(db, org.id, { name: "Big Hospital", number: "K-0001" });
  bigId = big.id;
  const phones: {
    organizationId: string;
    customerId: string;
    mac: string;
    syncStatus: string;
    label: string | null;
  }[] = [];
  for (let i = 0; i < 1500; i++) {
    phones.push({
      organizationId: org.id,
      customerId: big.id,
      mac: snomMac(i * 3),
      syncStatus: STATUSES[i % 10],
      label: null,
    });
  }
  for (let c = 0; c < 60; c++) {
    const customer = await createCustomer(db, org.id, {
      name: `Office ${String(c).padStart(3, "0")}`,
      number: `K-${1000 + c}`,
    });
    if (c === 7) smallId = customer.id;
    for (let i = 0; i < 25; i++) {
      const n = 0x100000 + c * 100 + i;
      phones.push({
        organizationId: org.id,
        customerId: customer.id,
        mac: snomMac(n),
        syncStatus: STATUSES[n % 10],
        label: null,
      });
    }
  }
  phones[1].label = "desk_2 left";
  phones[2].label = "deskx2 left";
  await db.phone.createMany({ data: phones.map((p) => ({ ...p, ...phoneKeys(p) })) });
  const ids = await db.phone.findMany({ where: { organizationId: org.id }, select: { id: true, mac: true } });
  phoneId = ids[0].id;
  const t0 = Date.now() - 86_400_000;
  await db.syncEvent.createMany({
    data: ids.flatMap((p, i) =>
      [0, 1, 2].map((k) => ({
        organizationId: org.id,
        phoneId: p.id,
        mac: p.mac,
        method: "registerPhone",
        outcome: "ok",
        actor: "worker:bench",
        durationMs: 5,
        createdAt: new Date(t0 + (i * 3 + k) * 1000),
      })),
    ),
  });
  const rival = await createOrganization(db, { name: "Rival" });
  const rivalCustomer = await createCustomer(db, rival.id, { name: "Rival customer" });
  await db.phone.createMany({
    data: Array.from({ length: 500 }, (_, i) => ({
      organizationId: rival.id,
      customerId: rivalCustomer.id,
      mac: snomMac(i * 3),
    })),
  });
  const { optimizeDatabase } = await import("@/lib/db-optimize");
  await optimizeDatabase(db);
  recorder.take();
});

afterAll(async () => {
  await db.$disconnect();
});

/** Plans of the statements `run` sent that read `table`. */
async function plansOf(table: string, run: () => Promise<unknown>): Promise<QueryPlan[]> {
  recorder.take();
  await run();
  const from = new RegExp(`FROM (\`main\`\\.\`${table}\`|"${table}")`);
  return explain(file, recorder.take()).filter((p) => from.test(p.sql));
}

const text = (plans: QueryPlan[]) => plans.map((p) => p.plan.join(" | ")).join("\n");

describe("planner statistics", () => {
  it("PRAGMA optimize at start leaves statistics for every index of the phones", async () => {
    const rows = await db.$queryRawUnsafe<{ idx: string }[]>("SELECT idx FROM sqlite_stat1 WHERE tbl = 'Phone'");
    expect(rows.map((r) => r.idx)).toEqual(
      expect.arrayContaining([
        "Phone_organizationId_customerId_mac_idx",
        "Phone_organizationId_syncStatus_mac_customerId_idx",
      ]),
    );
  });

  it("an import of 1000 phones or more refreshes them", async () => {
    // Its own database: statistics taken at 10 phones, then an import grows the table 100-fold.
    const own = createTestDatabase("scale-import-");
    const fresh = createPrisma(own.url);
    try {
      const org = await createOrganization(fresh);
      const user = await createUser(fresh, org.id);
      const customer = await createCustomer(fresh, org.id);
      await fresh.phone.createMany({
        data: Array.from({ length: 10 }, (_, i) => ({
          organizationId: org.id,
          customerId: customer.id,
          mac: snomMac(i),
        })),
      });
      const { optimizeDatabase } = await import("@/lib/db-optimize");
      await optimizeDatabase(fresh);
      const phoneRows = async () =>
        Number(
          (
            await fresh.$queryRawUnsafe<{ stat: string }[]>(
              "SELECT stat FROM sqlite_stat1 WHERE idx = 'Phone_organizationId_mac_key'",
            )
          )[0].stat.split(" ")[0],
        );
      expect(await phoneRows()).toBe(10);
      const { commitImport } = await import("@/lib/import/commit");
      const result = await commitImport(
        fresh,
        { organizationId: org.id, userId: user.id },
        {
          customerId: customer.id,
          rows: Array.from({ length: 1000 }, (_, i) => ({ mac: snomMac(0x200000 + i) })),
        },
      );
      expect(result).toMatchObject({ ok: true, created: 1000 });
      expect(await phoneRows()).toBe(1010);
    } finally {
      await fresh.$disconnect();
      rmSync(own.dir, { recursive: true, force: true });
    }
  });
});

describe("query plans of the list pages", () => {
  it("a customer's phones (big or small) walk (organizationId, customerId, mac) in MAC order", async () => {
    for (const customerId of [bigId, smallId]) {
      const plans = await plansOf("Phone", () => data.listPhones(acme, { customerId, page: 2 }));
      expect(plans.length).toBeGreaterThan(0);
      for (const p of plans) expect(p.plan.join(" ")).toMatch(/Phone_organizationId_customerId_mac_idx/);
      expect(text(plans)).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("the status filter walks (organizationId, syncStatus, mac) in MAC order", async () => {
    const plans = await plansOf("Phone", () => data.listPhones(acme, { status: "failed", page: 3 }));
    for (const p of plans) expect(p.plan.join(" ")).toMatch(/Phone_organizationId_syncStatus_mac_customerId_idx/);
    expect(text(plans)).not.toMatch(/TEMP B-TREE/);
  });

  it("a full MAC in dash notation is one lookup on the unique index, and finds exactly that phone", async () => {
    const mac = snomMac(0x100000 + 7 * 100 + 3);
    const dashed = mac.match(/../g)!.join("-").toLowerCase();
    let found: Awaited<ReturnType<typeof data.listPhones>> | undefined;
    const plans = await plansOf("Phone", async () => (found = await data.listPhones(acme, { q: dashed })));
    expect(found!.items.map((p) => p.mac)).toEqual([mac]);
    for (const p of plans)
      expect(p.plan.join(" ")).toMatch(/Phone_organizationId_mac_key \(organizationId=\? AND mac=\?\)/);
  });

  it("a phone's history reads (phoneId, createdAt), newest first, without sorting", async () => {
    const plans = await plansOf("SyncEvent", () => data.listPhoneHistory(acme, phoneId));
    expect(plans).toHaveLength(1);
    expect(plans[0].plan.join(" ")).toMatch(/SyncEvent_phoneId_createdAt_idx/);
    expect(text(plans)).not.toMatch(/TEMP B-TREE/);
  });

  it("the customers list counts phones of the shown customers only", async () => {
    const plans = await plansOf("Phone", () => customersData.listCustomers(acme, { page: 1 }));
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p.sql).toMatch(/customerId` IN \(/);
      expect(p.plan.join(" ")).not.toMatch(/SCAN (main\.)?Phone\b(?! USING)/);
    }
  });

  it("the export reads each customer's phones by keyset on (organizationId, customerId, mac)", async () => {
    let n = 0;
    const plans = await plansOf("Phone", async () => {
      for await (const p of data.iteratePhones(acme, {})) if (p) n++;
    });
    expect(n).toBe(1500 + 60 * 25);
    for (const p of plans) expect(p.plan.join(" ")).toMatch(/Phone_organizationId_customerId_mac_idx/);
    expect(text(plans)).not.toMatch(/TEMP B-TREE/);
  });
});

describe("dashboard", () => {
  it("counts the provisioning stages in one pass over the phones, deleted ones left out", async () => {
    const provisioning = await import("@/lib/data/provisioning");
    const own = await db.phone.findMany({ where: { customerId: smallId }, take: 3, select: { id: true } });
    await db.phone.update({ where: { id: own[0].id }, data: { provFirstFetchAt: new Date() } });
    await db.phone.update({
      where: { id: own[1].id },
      data: { deletedAt: new Date(), syncStatus: "removing", provFirstFetchAt: new Date() },
    });
    await db.phoneLogLine.createMany({
      data: [own[0].id, own[0].id, own[1].id, own[2].id].map((phoneId) => ({
        organizationId: acme.organizationId,
        phoneId,
        address: "192.0.2.1",
        text: "boot",
      })),
    });
    let stages: Awaited<ReturnType<typeof provisioning.countPhoneStages>> | undefined;
    const plans = await plansOf("Phone", async () => (stages = await provisioning.countPhoneStages(acme)));
    const all = await db.phone.count({ where: { organizationId: acme.organizationId, deletedAt: null } });
    const synced = await db.phone.count({
      where: { organizationId: acme.organizationId, deletedAt: null, syncStatus: "synced" },
    });
    expect(stages).toEqual({ entered: all, registered: synced, fetched: 1, logging: 2 });
    expect(plans).toHaveLength(1);
  });
});

describe("searches take % and _ literally", () => {
  it("a label search with _ matches that character only", async () => {
    const result = await data.listPhones(acme, { q: "desk_2" });
    expect(result.items.map((p) => p.label)).toEqual(["desk_2 left"]);
    expect((await data.listPhones(acme, { q: "%" })).total).toBe(0);
  });

  it("a customer search with % or _ matches those characters only", async () => {
    await createCustomer(db, acme.organizationId, { name: "Rabatt 50% GmbH", number: "K-5050" });
    expect((await customersData.listCustomers(acme, { q: "50%" })).items.map((c) => c.name)).toEqual([
      "Rabatt 50% GmbH",
    ]);
    expect((await customersData.listCustomers(acme, { q: "Office_00" })).total).toBe(0);
    expect((await customersData.searchCustomerChoices(acme, "0%")).map((c) => c.number)).toEqual(["K-5050"]);
  });
});

describe("customer searches walk (organizationId, name, number, nameKey, numberKey)", () => {
  it("the combobox and a phone search test the keys in that index, in name order, for one organization only", async () => {
    const combobox = await plansOf("Customer", () => customersData.searchCustomerChoices(acme, "office 00"));
    const phones = await plansOf("Customer", () => data.listPhones(acme, { q: "office 007" }));
    for (const p of [...combobox, ...phones.filter((p) => /Key/.test(p.sql))]) {
      expect(p.plan.join(" ")).toMatch(/Customer_organizationId_name_number_nameKey_numberKey_idx \(organizationId=\?\)/);
      expect(p.plan.join(" ")).not.toMatch(/TEMP B-TREE/);
    }
    expect(phones.filter((p) => /Key/.test(p.sql))).toHaveLength(1);
  });
});

describe("broad searches", () => {
  it("a search with more than 1000 matches shows its pages without counting them all", async () => {
    const store = await createCustomer(db, acme.organizationId, { name: "Lager", number: "K-9999" });
    await db.phone.createMany({
      data: Array.from({ length: 1001 }, (_, i) => ({
        organizationId: acme.organizationId,
        customerId: store.id,
        mac: snomMac(0x300000 + i),
        label: `Lagerbestand ${i}`,
        ...phoneKeys({ label: `Lagerbestand ${i}` }),
      })),
    });
    let result: Awaited<ReturnType<typeof data.listPhones>> | undefined;
    const plans = await plansOf(
      "Phone",
      async () => (result = await data.listPhones(acme, { q: "lagerbestand", page: 3 })),
    );
    // The page walks MACs in order and tests MAC, label and serial in the index, not in each row.
    const page = plans.find((p) => /ORDER BY/.test(p.sql))!;
    expect(page.plan.join(" ")).toMatch(/Phone_organizationId_mac_searchKey_customerId_idx/);
    expect(result).toMatchObject({ total: 1000, totalIsLowerBound: true, page: 3, pageCount: 40 });
    expect(result!.items.map((p) => p.mac)).toEqual(Array.from({ length: 25 }, (_, i) => snomMac(0x300000 + 50 + i)));
    const narrow = await data.listPhones(acme, { q: "lagerbestand 999" });
    expect(narrow).toMatchObject({ total: 1, totalIsLowerBound: false });
  });
});
