// The raw-SQL fast path must write exactly what Prisma writes: rows inserted through it and read
// back through Prisma look like rows Prisma created itself (dates, column defaults, nulls).
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, sqliteFilePath, type Db } from "@/lib/db-core";
import { findPhonesByMac, insertPhones, insertSyncJobs, MAX_BIND_PARAMS } from "@/lib/import/bulk-sql";
import { enqueueNewPhones } from "@/lib/sync/outbox";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { phoneKeys } from "@/lib/search-key";
import { onPostgres } from "../support/test-db";

let db: Db;
let orgId: string;
let customerId: string;
let userId: string;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  orgId = (await createOrganization(db)).id;
  userId = (await createUser(db, orgId)).id;
  customerId = (await createCustomer(db, orgId)).id;
});

afterAll(async () => {
  await db.$disconnect();
});

/**
 * The stored value of a column, bypassing Prisma, to compare the on-disk format: SQLite's text
 * through better-sqlite3, PostgreSQL's through pg (a timestamptz as its text form, to the microsecond).
 */
async function storedText(table: string, column: string, id: string): Promise<unknown> {
  if (onPostgres) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await client.connect();
    try {
      const res = await client.query(`SELECT "${column}"::text AS v FROM "${table}" WHERE id = $1`, [id]);
      return res.rows[0].v;
    } finally {
      await client.end();
    }
  }
  const raw = new Database(sqliteFilePath(process.env.DATABASE_URL!), { readonly: true });
  try {
    return (raw.prepare(`SELECT "${column}" AS v FROM "${table}" WHERE id = ?`).get(id) as { v: unknown }).v;
  } finally {
    raw.close();
  }
}

const ignoreIds = <T extends { id: string; createdAt: Date; updatedAt: Date }>(row: T) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !["id", "createdAt", "updatedAt"].includes(key)));

describe("bulk SQL fast path", () => {
  it("a phone and its job read back exactly like ones created with prisma.create", async () => {
    const now = new Date();
    const viaPrisma = await db.phone.create({
      data: {
        organizationId: orgId,
        customerId,
        mac: snomMac(1),
        label: "Empfang",
        model: "D785",
        serial: null,
        ...phoneKeys({ label: "Empfang" }),
        urlOverride: "https://prov.example.net/x.xml",
        createdById: userId,
        updatedById: userId,
        createdAt: now,
        updatedAt: now,
      },
    });
    const jobViaPrisma = await db.syncJob.create({
      data: {
        organizationId: orgId,
        phoneId: viaPrisma.id,
        mac: viaPrisma.mac,
        runAfter: now,
        createdAt: now,
        updatedAt: now,
      },
    });

    const fastId = crypto.randomUUID();
    await db.$transaction(async (tx) => {
      await insertPhones(
        tx,
        [
          {
            id: fastId,
            organizationId: orgId,
            customerId,
            mac: snomMac(2),
            label: "Empfang",
            model: "D785",
            serial: null,
            urlOverride: "https://prov.example.net/x.xml",
            createdById: userId,
          },
        ],
        now,
      );
      await insertSyncJobs(tx, orgId, [{ id: fastId, mac: snomMac(2) }], now);
    });

    const fast = await db.phone.findUniqueOrThrow({ where: { id: fastId } });
    expect({ ...ignoreIds(fast), mac: viaPrisma.mac }).toEqual(ignoreIds(viaPrisma));
    expect(fast.createdAt).toEqual(now);
    expect(fast.updatedAt).toEqual(now);
    expect(fast).toMatchObject({
      syncStatus: "pending",
      attempts: 0,
      syncedAt: null,
      nextAttemptAt: null,
      deletedAt: null,
    });

    const fastJob = await db.syncJob.findUniqueOrThrow({ where: { phoneId: fastId } });
    expect({ ...ignoreIds(fastJob), phoneId: jobViaPrisma.phoneId, mac: jobViaPrisma.mac }).toEqual(
      ignoreIds(jobViaPrisma),
    );
    expect(fastJob).toMatchObject({ version: 1, attempts: 0, claimedBy: null, claimToken: null, leaseUntil: null });
    expect(fastJob.runAfter).toEqual(now);

    // Same bytes on disk: string comparisons in SQL (runAfter <= now) order both kinds of rows alike.
    for (const column of ["createdAt", "updatedAt"]) {
      expect(await storedText("Phone", column, fastId)).toBe(await storedText("Phone", column, viaPrisma.id));
    }
    expect(await storedText("SyncJob", "runAfter", fastJob.id)).toBe(
      await storedText("SyncJob", "runAfter", jobViaPrisma.id),
    );

    // And Prisma's own date filters find the raw rows.
    const due = await db.syncJob.findMany({
      where: { organizationId: orgId, runAfter: { lte: now } },
      select: { phoneId: true },
    });
    expect(due.map((j) => j.phoneId).sort()).toEqual([viaPrisma.id, fastId].sort());
  });

  it("splits large inserts below the bind-parameter limit and stays all or nothing", async () => {
    const count = Math.ceil(MAX_BIND_PARAMS / 12) * 3 + 7; // several statements
    const phones = Array.from({ length: count }, (_, i) => ({
      id: crypto.randomUUID(),
      organizationId: orgId,
      customerId,
      mac: snomMac(0x10000 + i),
      label: i % 2 ? `Ext ${i}` : null,
      model: null,
      serial: null,
      urlOverride: null,
      createdById: userId,
    }));
    await db.$transaction(async (tx) => {
      expect(await insertPhones(tx, phones)).toBe(count);
      await enqueueNewPhones(tx, orgId, phones);
    });
    expect(await db.phone.count({ where: { id: { in: phones.map((p) => p.id).slice(0, 900) } } })).toBe(900);
    expect(await db.syncJob.count({ where: { organizationId: orgId } })).toBe(count + 2);

    const found = await findPhonesByMac(db, orgId, [...phones.map((p) => p.mac), snomMac(0xfffff)]);
    expect(found).toHaveLength(count);
    expect(found[0]).toMatchObject({ customerId, deletedAt: null });

    // A duplicate MAC in the last statement rolls back the statements before it too.
    const before = await db.phone.count();
    const again = phones.slice(0, 3).map((p, i) => ({ ...p, id: crypto.randomUUID(), mac: snomMac(0x20000 + i) }));
    const clash = [
      ...Array.from({ length: count }, (_, i) => ({
        ...phones[i],
        id: crypto.randomUUID(),
        mac: snomMac(0x30000 + i),
      })),
      ...again,
      { ...again[0], id: crypto.randomUUID() },
    ];
    await expect(db.$transaction((tx) => insertPhones(tx, clash))).rejects.toThrow();
    expect(await db.phone.count()).toBe(before);
  });

  it("values are bound, never spliced into the SQL", async () => {
    const id = crypto.randomUUID();
    const label = `x'); DROP TABLE "Phone"; --`;
    await insertPhones(db, [
      {
        id,
        organizationId: orgId,
        customerId,
        mac: snomMac(0x40000),
        label,
        model: 'a"b',
        serial: "ü€",
        urlOverride: null,
        createdById: null,
      },
    ]);
    expect(await db.phone.findUniqueOrThrow({ where: { id } })).toMatchObject({
      label,
      model: 'a"b',
      serial: "ü€",
      createdById: null,
      updatedById: null,
    });
  });
});
