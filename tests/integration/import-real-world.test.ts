// Real-world input through the page-level import steps (check, then add) on a real database: MACs
// with invisible characters, look-alike dashes, fullwidth digits and ="…"; Excel's sep= line; a
// FusionPBX device export; provisioning URLs with snom's variables.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "@/lib/db-core";
import type { ImportActor, PreviewInput } from "@/lib/import/commit";
import { addImport, checkImport } from "@/lib/import/flow";
import { createCustomer, createOrganization, createUser } from "../factories";

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/import", name));

let db: Db;
let actor: ImportActor;
let alphaId: string;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  const org = await createOrganization(db);
  actor = { organizationId: org.id, userId: (await createUser(db, org.id)).id };
  alphaId = (await createCustomer(db, org.id, { name: "Alpha GmbH", number: "A-1" })).id;
  await createCustomer(db, org.id, { name: "Beta AG", number: "B-1" });
});

afterAll(async () => {
  await db.$disconnect();
});

async function checkThenAdd(input: PreviewInput) {
  const checked = await checkImport(db, actor, input);
  if (!checked.ok) throw new Error(checked.error);
  const added = await addImport(db, actor, input, { digest: checked.digest, moveMacs: [], confirmNonSnom: false });
  return { checked, added };
}

async function macsOf(customerId: string): Promise<string[]> {
  const phones = await db.phone.findMany({ where: { customerId }, select: { mac: true }, orderBy: { mac: "asc" } });
  return phones.map((p) => p.mac);
}

describe("real-world input through check and add", () => {
  it('paste box: invisible characters, dash look-alikes, fullwidth digits and ="…" become clean MACs', async () => {
    const text = [
      "000413B10001\u200B",
      "\u200E00:04:13:B1:00:02\u200E\tReception",
      "00\u201104\u201113\u2011B1\u201100\u201103",
      "\uFF10\uFF10\uFF10\uFF14\uFF11\uFF13\uFF22\uFF11\uFF10\uFF10\uFF10\uFF14",
      '="000413B10005";Store',
      "000413B1000\u200E",
    ].join("\n");
    const { checked, added } = await checkThenAdd({ kind: "paste", text, customerId: alphaId });
    expect(checked.preview.counts).toMatchObject({ ok: 5, invalid: 1 });
    expect(checked.preview.rows[5]).toMatchObject({
      status: "invalid",
      reason: "wrong_length",
      message: expect.stringContaining("invisible character U+200E (left-to-right mark) after the MAC"),
    });
    expect(added).toMatchObject({ ok: true, created: 5 });
    expect(await macsOf(alphaId)).toEqual([
      "000413B10001",
      "000413B10002",
      "000413B10003",
      "000413B10004",
      "000413B10005",
    ]);
    const labelled = await db.phone.findFirstOrThrow({ where: { mac: "000413B10002" } });
    expect(labelled.label).toBe("Reception");
  });

  it("file: the real-world CSV adds the seven clean MACs and explains the two it refuses", async () => {
    const { checked, added } = await checkThenAdd({
      kind: "file",
      bytes: fixture("real-world-macs.csv"),
      defaultCustomerId: alphaId,
    });
    expect(checked.preview.counts).toMatchObject({ ok: 7, invalid: 2 });
    expect(added).toMatchObject({ ok: true, created: 7 });
    expect(
      await db.phone.count({
        where: { mac: { in: ["000413A30001", "000413A30004", "000413A30005", "000413A30007"] } },
      }),
    ).toBe(4);
  });

  it("file: Excel's sep=; line, customers by name, labels with commas", async () => {
    const bytes = Buffer.from(
      fixture("excel-sep-semicolon.csv")
        .toString("utf8")
        .replace(/A3(:)?00(:)?0/g, "E1$1" + "00$2" + "0"),
    );
    const { checked, added } = await checkThenAdd({ kind: "file", bytes });
    expect(checked.file).toMatchObject({
      delimiter: ";",
      hasHeader: true,
      headers: ["MAC-Adresse", "Kunde", "Bezeichnung"],
    });
    expect(checked.preview.counts).toMatchObject({ ok: 2, invalid: 0 });
    expect(added).toMatchObject({ ok: true, created: 2 });
    const beta = await db.phone.findFirstOrThrow({ where: { mac: "000413E10002" }, include: { customer: true } });
    expect(beta).toMatchObject({ label: "Lager, hinten", customer: { name: "Beta AG" } });
  });

  it("file: a German Excel file (BOM, ;, CRLF, MAC-Adresse;Bezeichnung;Nebenstelle) takes the Bezeichnung as label", async () => {
    const lines = Array.from({ length: 11 }, (_, i) => `000413F1${String(i).padStart(4, "0")};Empfang ${i};${100 + i}`);
    const bytes = Buffer.from(`\uFEFFMAC-Adresse;Bezeichnung;Nebenstelle\r\n${lines.join("\r\n")}\r\n`, "utf8");
    const { checked, added } = await checkThenAdd({ kind: "file", bytes, defaultCustomerId: alphaId });
    expect(checked.file?.mapping).toEqual({ mac: 0, label: 1 });
    expect(added).toMatchObject({ ok: true, created: 11 });
    const phones = await db.phone.findMany({ where: { mac: { startsWith: "000413F1" } }, orderBy: { mac: "asc" } });
    expect(phones.map((p) => p.label)).toEqual(lines.map((_, i) => `Empfang ${i}`));
  });

  it("file: a FusionPBX device export imports MAC, label and model", async () => {
    const bytes = Buffer.from(
      fixture("fusionpbx-devices.csv")
        .toString("utf8")
        .replaceAll("000413a3", "000413c1")
        .replace("00087b000003", "00087bc10003"),
    );
    const { checked, added } = await checkThenAdd({ kind: "file", bytes, defaultCustomerId: alphaId });
    expect(checked.file?.mapping).toEqual({ mac: 2, label: 3, model: 5 });
    expect(added).toMatchObject({ ok: true, created: 3 });
    const phone = await db.phone.findFirstOrThrow({ where: { mac: "000413C10001" } });
    expect(phone).toMatchObject({ label: "Reception", model: "snom/d785" });
  });

  it("file: URL overrides with {phone_type} are accepted, %7Bmac%7D is refused with the reason", async () => {
    const csv =
      "MAC;URL\n000413D10001;https://prov.example.net/{phone_type}/{mac}.xml\n000413D10002;https://prov.example.net/%7Bmac%7D.xml\n";
    const { checked } = await checkThenAdd({ kind: "file", bytes: Buffer.from(csv), defaultCustomerId: alphaId });
    expect(checked.preview.rows[0]).toMatchObject({
      status: "ok",
      urlOverride: "https://prov.example.net/{phone_type}/{mac}.xml",
    });
    expect(checked.preview.rows[1]).toMatchObject({
      status: "invalid",
      reason: "invalid_url",
      message: expect.stringContaining("percent-encoded {mac}"),
    });
    const stored = await db.phone.findFirstOrThrow({ where: { mac: "000413D10001" } });
    expect(stored.urlOverride).toBe("https://prov.example.net/{phone_type}/{mac}.xml");
  });
});
