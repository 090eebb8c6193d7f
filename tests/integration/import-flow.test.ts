// The page-level steps: check, then add exactly what the check showed, re-validated on the server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "@/lib/db-core";
import type { ImportActor } from "@/lib/import/commit";
import { addImport, checkImport, checkMacsWithSnom, countContentLines } from "@/lib/import/flow";
import type { RdsAccount, RdsResult } from "@/lib/redirection/types";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";

let db: Db;
let actor: ImportActor;
let alphaId: string;
let betaId: string;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  const org = await createOrganization(db);
  actor = { organizationId: org.id, userId: (await createUser(db, org.id)).id };
  alphaId = (await createCustomer(db, org.id, { name: "Alpha", number: "A-1" })).id;
  betaId = (await createCustomer(db, org.id, { name: "Beta", number: "B-1" })).id;
});

afterAll(async () => {
  await db.$disconnect();
});

async function checked(text: string, customerId = alphaId) {
  const result = await checkImport(db, actor, { kind: "paste", text, customerId });
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe("check and add", () => {
  it("refuses more than 10000 lines before parsing", async () => {
    const text = Array.from({ length: 10_001 }, (_, i) => snomMac(i)).join("\n");
    expect(countContentLines(`${text}\n\n`)).toBe(10_001);
    expect(await checkImport(db, actor, { kind: "paste", text, customerId: alphaId })).toEqual({
      ok: false,
      error: expect.stringMatching(/10001 lines pasted; at most 10000/),
    });
  });

  it("adds exactly the checked set; the same submit again adds nothing", async () => {
    const text = [snomMac(0x1000), "garbage", snomMac(0x1001), snomMac(0x1000)].join("\n");
    const preview = await checked(text);
    expect(preview.preview.counts).toMatchObject({ ok: 2, invalid: 1, duplicate: 1 });
    const source = { kind: "paste" as const, text, customerId: alphaId };
    const opts = { digest: preview.digest, moveMacs: [], confirmNonSnom: false };
    expect(await addImport(db, actor, source, opts)).toMatchObject({ ok: true, created: 2, customerIds: [alphaId] });
    const again = await addImport(db, actor, source, opts);
    expect(again).toMatchObject({ ok: false, error: expect.stringMatching(/changed since it was checked/) });
    if (!again.ok) expect(again.preview?.preview.counts).toMatchObject({ ok: 0, exists: 2 });
    expect(await db.phone.count({ where: { organizationId: actor.organizationId } })).toBe(2);
  });

  it("a text changed after the check is refused, nothing written", async () => {
    const preview = await checked(snomMac(0x2000));
    const result = await addImport(
      db,
      actor,
      { kind: "paste", text: `${snomMac(0x2000)}\n${snomMac(0x2001)}`, customerId: alphaId },
      {
        digest: preview.digest,
        moveMacs: [],
        confirmNonSnom: false,
      },
    );
    expect(result.ok).toBe(false);
    expect(await db.phone.count({ where: { mac: { in: [snomMac(0x2000), snomMac(0x2001)] } } })).toBe(0);
  });

  it("non-snom MACs need the explicit confirmation", async () => {
    const text = `${snomMac(0x3000)}\n3C5AB4010203`;
    const preview = await checked(text);
    const source = { kind: "paste" as const, text, customerId: alphaId };
    const refused = await addImport(db, actor, source, { digest: preview.digest, moveMacs: [], confirmNonSnom: false });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/I checked these non-snom MACs/) });
    expect(
      await addImport(db, actor, source, { digest: preview.digest, moveMacs: [], confirmNonSnom: true }),
    ).toMatchObject({ ok: true, created: 2 });
  });

  it("moves only phones the fresh check offers to move", async () => {
    const text = [snomMac(0x1000), snomMac(0x4000)].join("\n"); // 0x1000 belongs to Alpha
    const preview = await checked(text, betaId);
    expect(preview.preview.rows[0]).toMatchObject({ status: "exists", canMove: true, targetCustomerId: betaId });
    const result = await addImport(
      db,
      actor,
      { kind: "paste", text, customerId: betaId },
      {
        digest: preview.digest,
        moveMacs: [snomMac(0x1000), snomMac(0x1001)], // 0x1001 was not offered: ignored
        confirmNonSnom: false,
      },
    );
    expect(result).toMatchObject({ ok: true, created: 1, moved: 1 });
    const phones = await db.phone.findMany({
      where: { mac: { in: [snomMac(0x1000), snomMac(0x1001)] } },
      select: { mac: true, customerId: true },
    });
    expect(Object.fromEntries(phones.map((p) => [p.mac, p.customerId]))).toEqual({
      [snomMac(0x1000)]: betaId,
      [snomMac(0x1001)]: alphaId,
    });
  });

  it("file: rows go to the customers their column names; unknown customers are not committed", async () => {
    const csv = `\uFEFFMAC-Adresse;Kundennummer;Bezeichnung\r\n${snomMac(0x5000)};A-1;Empfang\r\n${snomMac(0x5001)};B-1;Lager\r\n${snomMac(0x5002)};X-9;Büro\r\n`;
    const source = { kind: "file" as const, bytes: Buffer.from(csv) };
    const preview = await checkImport(db, actor, source);
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.preview.counts).toMatchObject({ ok: 2, unknown_customer: 1 });
    const result = await addImport(db, actor, source, { digest: preview.digest, moveMacs: [], confirmNonSnom: false });
    expect(result).toMatchObject({ ok: true, created: 2 });
    if (result.ok) expect(new Set(result.customerIds)).toEqual(new Set([alphaId, betaId]));
    expect(await db.phone.count({ where: { mac: snomMac(0x5002) } })).toBe(0);

    // The user's mapping replaces the detected one: label column ignored, no column used twice.
    const exact = await checkImport(db, actor, {
      ...source,
      mapping: { mac: 0, customerNumber: 1 },
      exactMapping: true,
    });
    if (!exact.ok) throw new Error(exact.error);
    expect(exact.file?.mapping).toEqual({ mac: 0, customerNumber: 1 });
    const twice = await checkImport(db, actor, { ...source, mapping: { mac: 0, label: 0 }, exactMapping: true });
    expect(twice).toMatchObject({ ok: false, error: expect.stringMatching(/chosen for two fields/) });
  });

  it("a ragged or binary file is an error and writes nothing", async () => {
    const before = await db.phone.count();
    const ragged = await checkImport(db, actor, {
      kind: "file",
      bytes: Buffer.from(`MAC;Label\n${snomMac(0x6000)};a;b;c\n${snomMac(0x6001)};x\n`),
    });
    expect(ragged).toMatchObject({ ok: false, error: expect.stringMatching(/different number of columns/) });
    const latin1 = await checkImport(db, actor, {
      kind: "file",
      bytes: Buffer.from([0x4d, 0x41, 0x43, 0x3b, 0x4b, 0xfc, 0x63, 0x68, 0x65, 0x0a]),
    });
    expect(latin1).toMatchObject({ ok: false, error: expect.stringMatching(/not UTF-8/) });
    expect(await db.phone.count()).toBe(before);
  });
});

describe("check with snom", () => {
  it("asks about every MAC with at most 8 calls in flight and maps the answers", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const answers: Record<string, RdsResult<true>["kind"]> = {
      [snomMac(1)]: "ok",
      [snomMac(2)]: "owned_by_other_user",
      [snomMac(3)]: "transient",
    };
    const fake = async (_account: RdsAccount, mac: string): Promise<RdsResult<true>> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const kind = answers[mac] ?? "no_such_mac";
      const raw = { excerpt: "" };
      return kind === "ok"
        ? { kind, data: true, raw, durationMs: 5 }
        : { kind, message: `${kind} ${mac}`, raw, durationMs: 5 };
    };
    const macs = Array.from({ length: 40 }, (_, i) => snomMac(i + 1));
    const result = await checkMacsWithSnom({ url: "http://x/", username: "u", password: "p" }, macs, 8, fake);
    expect(maxInFlight).toBe(8);
    expect(Object.keys(result)).toHaveLength(40);
    expect(result[snomMac(1)]).toEqual({ verdict: "ours" });
    expect(result[snomMac(2)]).toMatchObject({ verdict: "owned_by_other_user" });
    expect(result[snomMac(3)]).toMatchObject({ verdict: "error" });
    expect(result[snomMac(4)]).toEqual({ verdict: "free" });
  });
});
