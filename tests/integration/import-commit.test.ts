import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "@/lib/db-core";
import { commitImport, previewImport, type ImportActor } from "@/lib/import/commit";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { onPostgres } from "../support/test-db";

let db: Db;
let actor: ImportActor;
let alphaId: string;
let betaId: string;
let foreignCustomerId: string;
let foreignActor: ImportActor;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  const org = await createOrganization(db);
  const user = await createUser(db, org.id);
  actor = { organizationId: org.id, userId: user.id };
  alphaId = (await createCustomer(db, org.id, { name: "Alpha GmbH", number: "K-1001" })).id;
  betaId = (await createCustomer(db, org.id, { name: "Beta AG", number: "K-1002" })).id;
  const other = await createOrganization(db);
  const otherUser = await createUser(db, other.id);
  foreignActor = { organizationId: other.id, userId: otherUser.id };
  foreignCustomerId = (await createCustomer(db, other.id, { name: "Foreign", number: "K-1001" })).id;
});

afterAll(async () => {
  await db.$disconnect();
});

async function okCommit(input: Parameters<typeof commitImport>[2]) {
  const result = await commitImport(db, actor, input);
  if (!result.ok) throw new Error(`commit refused: ${result.error} ${JSON.stringify(result.problems)}`);
  return result;
}

describe("commitImport", () => {
  it("creates phones with one sync job each, and a repeat creates nothing", async () => {
    const rows = [0x100, 0x101, 0x102].map((n, i) => ({
      mac: snomMac(n),
      customerId: alphaId,
      label: `Ext ${i}`,
      model: "D785",
    }));
    rows[1].mac = "00:04:13:00:01:01"; // notation does not matter
    const first = await okCommit({ rows });
    expect(first).toMatchObject({ created: 3, moved: 0, skipped: 0 });
    expect(first.createdIds).toHaveLength(3);

    const phones = await db.phone.findMany({ where: { id: { in: first.createdIds } }, orderBy: { mac: "asc" } });
    expect(phones.map((p) => p.mac)).toEqual([snomMac(0x100), snomMac(0x101), snomMac(0x102)]);
    for (const p of phones) {
      expect(p).toMatchObject({
        organizationId: actor.organizationId,
        customerId: alphaId,
        model: "D785",
        syncStatus: "pending",
      });
      expect(p.createdById).toBe(actor.userId);
      expect(p.updatedById).toBe(actor.userId);
    }
    const jobs = await db.syncJob.findMany({ where: { phoneId: { in: first.createdIds } } });
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.mac))).toEqual(new Set(phones.map((p) => p.mac)));

    const second = await okCommit({ rows });
    expect(second).toMatchObject({ created: 0, moved: 0, skipped: 3, createdIds: [] });
    expect(
      await db.phone.count({ where: { organizationId: actor.organizationId, mac: { in: phones.map((p) => p.mac) } } }),
    ).toBe(3);
    expect(await db.syncJob.count({ where: { organizationId: actor.organizationId } })).toBe(3);
  });

  it("duplicates within one submission create one phone", async () => {
    const result = await okCommit({
      customerId: alphaId,
      rows: [{ mac: snomMac(0x200) }, { mac: "00-04-13-00-02-00" }],
    });
    expect(result).toMatchObject({ created: 1, skipped: 1 });
  });

  it("re-validates every row: an invalid MAC refuses the whole submission", async () => {
    const before = await db.phone.count();
    const result = await commitImport(db, actor, {
      customerId: alphaId,
      rows: [
        { mac: snomMac(0x300) },
        { mac: "4.135E+127" },
        { mac: "FFFFFFFFFFFF" },
        { mac: snomMac(0x301), urlOverride: "javascript:alert(1)" },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(await db.phone.count()).toBe(before);
  });

  it("refuses a customer id from another organization, as if it did not exist", async () => {
    const before = await db.phone.count();
    const asRow = await commitImport(db, actor, { rows: [{ mac: snomMac(0x400), customerId: foreignCustomerId }] });
    const asDefault = await commitImport(db, actor, { customerId: foreignCustomerId, rows: [{ mac: snomMac(0x401) }] });
    const missing = await commitImport(db, actor, { customerId: "no-such-id", rows: [{ mac: snomMac(0x402) }] });
    for (const result of [asRow, asDefault, missing]) {
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/customer does not exist/) });
    }
    expect(await db.phone.count()).toBe(before);
  });

  it("the same MAC may exist in another organization", async () => {
    const foreign = await commitImport(db, foreignActor, {
      customerId: foreignCustomerId,
      rows: [{ mac: snomMac(0x100) }],
    });
    expect(foreign).toMatchObject({ ok: true, created: 1 });
  });

  it("a failure mid-way leaves nothing written", async () => {
    const phonesBefore = await db.phone.count();
    const jobsBefore = await db.syncJob.count();
    // The database refuses the sync job of the last phone: by then all 1500 phones (three INSERT
    // statements) and the jobs before it are written.
    const poisoned = snomMac(0x500 + 1499);
    if (onPostgres) {
      await db.$executeRawUnsafe(
        `CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.mac = '${poisoned}' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$`,
      );
      await db.$executeRawUnsafe(
        `CREATE TRIGGER fail_import BEFORE INSERT ON "SyncJob" FOR EACH ROW EXECUTE FUNCTION fail_import()`,
      );
    } else {
      await db.$executeRawUnsafe(
        `CREATE TRIGGER fail_import BEFORE INSERT ON SyncJob WHEN NEW.mac = '${poisoned}' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`,
      );
    }
    try {
      const rows = Array.from({ length: 1500 }, (_, i) => ({ mac: snomMac(0x500 + i) }));
      // SQLite's adapter reports RAISE(ABORT) as a constraint violation, PostgreSQL's as P0001
      // (raise_exception); any error must roll back.
      await expect(commitImport(db, actor, { customerId: alphaId, rows })).rejects.toThrow(/simulated failure/);
    } finally {
      if (onPostgres) {
        await db.$executeRawUnsafe(`DROP TRIGGER fail_import ON "SyncJob"`);
        await db.$executeRawUnsafe("DROP FUNCTION fail_import()");
      } else {
        await db.$executeRawUnsafe("DROP TRIGGER fail_import");
      }
    }
    expect(await db.phone.count()).toBe(phonesBefore);
    expect(await db.syncJob.count()).toBe(jobsBefore);
  });

  it("moves phones to another customer and queues their sync", async () => {
    const created = await okCommit({ customerId: alphaId, rows: [{ mac: snomMac(0x900) }, { mac: snomMac(0x901) }] });
    await db.syncJob.deleteMany({ where: { phoneId: { in: created.createdIds } } }); // as if the worker had run
    await db.phone.updateMany({ where: { id: { in: created.createdIds } }, data: { syncStatus: "synced" } });

    const preview = await previewImport(db, actor, {
      kind: "paste",
      text: `${snomMac(0x900)}\n${snomMac(0x902)}`,
      customerId: betaId,
    });
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.preview.rows[0]).toMatchObject({ status: "exists", canMove: true, customerName: "Alpha GmbH" });

    const result = await okCommit({
      customerId: betaId,
      rows: [{ mac: snomMac(0x902) }],
      moveMacs: [formatted(snomMac(0x900))],
    });
    expect(result).toMatchObject({ created: 1, moved: 1, skipped: 0 });
    const moved = await db.phone.findUniqueOrThrow({
      where: { organizationId_mac: { organizationId: actor.organizationId, mac: snomMac(0x900) } },
    });
    expect(moved).toMatchObject({ customerId: betaId, syncStatus: "pending", updatedById: actor.userId });
    expect(await db.syncJob.count({ where: { phoneId: moved.id } })).toBe(1);
    const untouched = await db.phone.findUniqueOrThrow({
      where: { organizationId_mac: { organizationId: actor.organizationId, mac: snomMac(0x901) } },
    });
    expect(untouched.customerId).toBe(alphaId);

    const again = await okCommit({ customerId: betaId, rows: [{ mac: snomMac(0x902) }], moveMacs: [snomMac(0x900)] });
    expect(again).toMatchObject({ created: 0, moved: 0, skipped: 2 });
  });

  it("a move to a foreign customer is refused", async () => {
    const result = await commitImport(db, actor, {
      customerId: foreignCustomerId,
      rows: [],
      moveMacs: [snomMac(0x901)],
    });
    expect(result.ok).toBe(false);
  });
});

describe("previewImport", () => {
  it("paste: classifies against the organization's phones only", async () => {
    const text = [snomMac(0x100), snomMac(0x100), "4.135E+127", snomMac(0xa00), "3C5AB4010203"].join("\n");
    const result = await previewImport(db, actor, { kind: "paste", text, customerId: alphaId });
    if (!result.ok) throw new Error(result.error);
    expect(result.preview.rows.map((r) => r.status)).toEqual(["exists", "duplicate", "invalid", "ok", "ok"]);
    expect(result.preview.rows[0]).toMatchObject({ canMove: false, customerId: alphaId });
    expect(result.preview.counts).toMatchObject({ ok: 2, exists: 1, duplicate: 1, invalid: 1, notSnom: 1 });

    const foreign = await previewImport(db, actor, { kind: "paste", text, customerId: foreignCustomerId });
    expect(foreign).toEqual({ ok: false, error: "Choose a customer of your organization." });
  });

  it("file: resolves customers by number and name within the organization", async () => {
    const csv = `MAC;Kundennummer;Kunde;Nebenstelle\n${snomMac(0xb00)};K-1002;;Empfang\n${snomMac(0xb01)};;alpha gmbh;Büro\n${snomMac(0xb02)};K-7777;;Lager\n`;
    const result = await previewImport(db, actor, { kind: "file", bytes: Buffer.from(csv) });
    if (!result.ok) throw new Error(result.error);
    expect(result.file).toMatchObject({
      delimiter: ";",
      hasHeader: true,
      mapping: { mac: 0, customerNumber: 1, customerName: 2, label: 3 },
    });
    expect(result.preview.rows.map((r) => (r.status === "ok" ? r.customerId : r.status))).toEqual([
      betaId,
      alphaId,
      "unknown_customer",
    ]);

    // Preview rows feed the commit directly.
    const okRows = result.preview.rows.flatMap((r) => (r.status === "ok" ? [r] : []));
    const committed = await okCommit({ rows: okRows });
    expect(committed.created).toBe(2);
  });

  it("file: a bad file is an error, not a throw", async () => {
    const result = await previewImport(db, actor, { kind: "file", bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]) });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/binary file/) });
  });
});

function formatted(mac: string): string {
  return mac.match(/.{2}/g)!.join(":").toLowerCase();
}
