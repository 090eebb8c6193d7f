// Case- and accent-insensitive search through the folded keys (docs/decisions/0012-search.md), on a
// real database built from the migrations. Everything goes through lib functions and Prisma (no
// SQL of one database), so the same assertions hold on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createCustomer, listCustomers, searchCustomerChoices, updateCustomer, type CustomerInput } from "@/lib/data/customers";
import { createPhone, listPhones } from "@/lib/data/phones";
import { listAuditEvents } from "@/lib/data/audit";
import { writeAuditEvent } from "@/lib/audit/events";
import { backfillSearchKeys } from "@/lib/search-backfill";
import { buildCustomerMaps, classifyRows } from "@/lib/import/classify";
import { importCustomerId } from "@/lib/reconcile/engine";
import type { Actor } from "@/lib/data/common";
import { createOrganization, createUser, snomMac } from "../factories";

const noPhoneFields: { label: string | null; model: string | null; serial: string | null; urlOverride: string | null } = {
  label: null,
  model: null,
  serial: null,
  urlOverride: null,
};
const input = (name: string, number: string, over: Partial<CustomerInput> = {}): CustomerInput => ({
  name,
  number,
  contactName: null,
  contactEmail: null,
  contactPhone: null,
  notes: null,
  urlTemplate: null,
  ...over,
});

let acme: Actor;
let rival: Actor;
const ids: Record<string, string> = {};

async function customer(actor: Actor, name: string, number: string, over: Partial<CustomerInput> = {}) {
  const result = await createCustomer(actor, input(name, number, over));
  if (!result.ok) throw new Error(result.message);
  return result.id;
}

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme" });
  const user = await createUser(prisma, org.id, { email: "ada@acme.example" });
  acme = { id: user.id, organizationId: org.id, role: "ADMIN" };
  const other = await createOrganization(prisma, { name: "Rival" });
  const rivalUser = await createUser(prisma, other.id);
  rival = { id: rivalUser.id, organizationId: other.id, role: "ADMIN" };

  ids.mueller = await customer(acme, "Müller Telekom", "K-100", { contactName: "Jürgen Weiß", contactEmail: "JW@Telekom.example" });
  ids.muellerSpelled = await customer(acme, "Mueller Bau", "K-200");
  ids.muller = await customer(acme, "Muller SARL", "K-300");
  ids.percent = await customer(acme, "100% Telecom", "K-400");
  ids.underscore = await customer(acme, "A_B Systems", "K-500");
  ids.lookalike = await customer(acme, "AxB Systems", "K-600");
  ids.backslash = await customer(acme, "Net\\Work GmbH", "K-700");
  ids.aeroe = await customer(acme, "Ærøskøbing Tele", "DK-1");
  ids.istanbul = await customer(acme, "İSTANBUL İletişim", "TR-1");
  await customer(rival, "Müller Rival", "K-100");

  const phone = async (customerId: string, n: number, fields: Partial<typeof noPhoneFields> = {}) => {
    const result = await createPhone(acme, customerId, snomMac(n), { ...noPhoneFields, ...fields }, null);
    if (!result || !result.ok) throw new Error(`phone ${n} not created`);
  };
  await phone(ids.mueller, 1, { label: "Empfang Süd" });
  await phone(ids.mueller, 2, { serial: "SN-ÄÖÜ-2" });
  await phone(ids.lookalike, 3, { label: "50% Rabatt für Jörg" });
  await phone(ids.lookalike, 4, { label: "deskx2" });
  await phone(ids.aeroe, 5, { label: "Straße 1" });
});

afterAll(async () => {
  await prisma.$disconnect();
});

const customerNames = async (q: string) => (await listCustomers(acme, { q })).items.map((c) => c.name).sort();
const phoneMacs = async (q: string) => (await listPhones(acme, { q })).items.map((p) => p.mac).sort();

describe("customers list", () => {
  it("finds Müller whatever the case and accents, and muller finds Muller too", async () => {
    for (const q of ["müller", "MÜLLER", "muller", "Muller", "MULLER", "Mül"]) {
      expect(await customerNames(q), q).toContain("Müller Telekom");
    }
    expect(await customerNames("muller")).toEqual(["Muller SARL", "Müller Telekom"]);
  });

  it("mueller (German for ü) finds Müller and Mueller; müller finds Mueller too", async () => {
    expect(await customerNames("mueller")).toEqual(["Mueller Bau", "Müller Telekom"]);
    expect(await customerNames("müller")).toEqual(["Mueller Bau", "Muller SARL", "Müller Telekom"]);
  });

  it("searches number, contact name and e-mail the same way, never another organization's", async () => {
    expect(await customerNames("k-100")).toEqual(["Müller Telekom"]);
    expect(await customerNames("weiss")).toEqual(["Müller Telekom"]);
    expect(await customerNames("JÜRGEN WEIß")).toEqual(["Müller Telekom"]);
    expect(await customerNames("jw@telekom")).toEqual(["Müller Telekom"]);
    expect(await customerNames("Rival")).toEqual([]);
  });

  it("folds letters Unicode does not decompose, Turkish İ and fullwidth text", async () => {
    expect(await customerNames("aeroskobing")).toEqual(["Ærøskøbing Tele"]);
    expect(await customerNames("istanbul iletisim")).toEqual(["İSTANBUL İletişim"]);
    expect(await customerNames("ＴＥＬＥＫＯＭ")).toEqual(["Müller Telekom"]);
  });

  it("takes %, _ and \\ literally", async () => {
    expect(await customerNames("100%")).toEqual(["100% Telecom"]);
    expect(await customerNames("0%")).toEqual(["100% Telecom"]);
    expect(await customerNames("%")).toEqual(["100% Telecom"]);
    expect(await customerNames("_")).toEqual(["A_B Systems"]);
    expect(await customerNames("a_b")).toEqual(["A_B Systems"]);
    expect(await customerNames("\\")).toEqual(["Net\\Work GmbH"]);
    expect(await customerNames("%%")).toEqual([]);
    expect(await customerNames("100% TÉLÉCOM")).toEqual(["100% Telecom"]);
  });

  it("a query of only blanks or invisible characters filters nothing", async () => {
    expect((await listCustomers(acme, { q: "\u200B" })).total).toBe((await listCustomers(acme, {})).total);
  });
});

describe("customer combobox (/api/customers/choices)", () => {
  it("matches name or number without case or accents, % literally, in its own organization", async () => {
    const names = async (q: string) => (await searchCustomerChoices(acme, q)).map((c) => c.name);
    expect(await names("MÜLLER TEL")).toEqual(["Müller Telekom"]);
    expect(await names("mueller tel")).toEqual(["Müller Telekom"]);
    expect(await names("k-10")).toEqual(["Müller Telekom"]);
    expect(await names("0%")).toEqual(["100% Telecom"]);
    expect(await names("_")).toEqual(["A_B Systems"]);
    expect((await searchCustomerChoices(rival, "muller")).map((c) => c.name)).toEqual(["Müller Rival"]);
  });
});

describe("phones list", () => {
  it("finds label and serial without case or accents", async () => {
    expect(await phoneMacs("sud")).toEqual([snomMac(1)]);
    expect(await phoneMacs("EMPFANG SÜD")).toEqual([snomMac(1)]);
    expect(await phoneMacs("sn-aou")).toEqual([snomMac(2)]);
    expect(await phoneMacs("sn-aeoeue")).toEqual([snomMac(2)]);
    expect(await phoneMacs("strasse")).toEqual([snomMac(5)]);
  });

  it("finds the phones of customers whose name or number matches", async () => {
    expect(await phoneMacs("müller")).toEqual([snomMac(1), snomMac(2)]);
    expect(await phoneMacs("muller telekom")).toEqual([snomMac(1), snomMac(2)]);
    expect(await phoneMacs("k-600")).toEqual([snomMac(3), snomMac(4)]);
  });

  it("takes % and _ literally", async () => {
    expect(await phoneMacs("50%")).toEqual([snomMac(3)]);
    expect(await phoneMacs("50% RABATT FÜR JÖRG")).toEqual([snomMac(3)]);
    expect(await phoneMacs("%")).toEqual([snomMac(3)]);
    expect(await phoneMacs("desk_2")).toEqual([]);
    expect(await phoneMacs("_")).toEqual([]);
  });
});

describe("audit log filter", () => {
  it("finds summaries and e-mails without case or accents, % literally", async () => {
    const base = { organizationId: acme.organizationId, actorUserId: acme.id, targetType: "customer" } as const;
    await writeAuditEvent(prisma, { ...base, actorEmail: "Zoë@Acme.example", action: "customer.create", summary: "Müller Telekom (K-100)" });
    await writeAuditEvent(prisma, { ...base, actorEmail: "ada@acme.example", action: "customer.update", summary: "discount 10% → 15%" });
    await writeAuditEvent(prisma, { ...base, actorEmail: "ada@acme.example", action: "customer.update", summary: "name “A” → “B”" });
    const summaries = async (q: string) => (await listAuditEvents(acme, { q })).items.map((e) => e.summary).sort();
    expect(await summaries("MULLER")).toEqual(["Müller Telekom (K-100)"]);
    expect(await summaries("mueller")).toEqual(["Müller Telekom (K-100)"]);
    expect(await summaries("zoe@acme")).toEqual(["Müller Telekom (K-100)"]);
    expect(await summaries("%")).toEqual(["discount 10% → 15%"]);
    expect(await summaries("_")).toEqual([]);
  });
});

describe("customer numbers are unique in any case", () => {
  it("refuses k-100 next to K-100, naming the customer that has it, on create and edit", async () => {
    const created = await createCustomer(acme, input("Other", "k-100"));
    const message = "Customer number k-100 is already used by Müller Telekom (as “K-100”).";
    expect(created).toEqual({ ok: false, message, fieldErrors: { number: [message] } });
    const exact = await createCustomer(acme, input("Other", "K-100"));
    expect(exact).toMatchObject({ ok: false, fieldErrors: { number: ["Customer number K-100 is already used by Müller Telekom."] } });
    const edited = await updateCustomer(acme, ids.muller, input("Muller SARL", "K-100"));
    expect(edited).toMatchObject({ ok: false, fieldErrors: { number: ["Customer number K-100 is already used by Müller Telekom."] } });
    expect(await prisma.customer.count({ where: { organizationId: acme.organizationId, numberKey: "k-100" } })).toBe(1);
    // Another organization may use the same number.
    expect(await createCustomer(rival, input("Rival two", "k-100"))).toMatchObject({ ok: false });
    expect(await createCustomer(rival, input("Rival two", "K-101"))).toMatchObject({ ok: true });
  });

  it("an edit that keeps the number, or changes only its case, is fine", async () => {
    expect(await updateCustomer(acme, ids.mueller, input("Müller Telekom", "K-100", { notes: "x" }))).toEqual({ ok: true });
    expect(await updateCustomer(acme, ids.mueller, input("Müller Telekom", "k-100"))).toEqual({ ok: true });
    expect(await updateCustomer(acme, ids.mueller, input("Müller Telekom", "K-100"))).toEqual({ ok: true });
  });

  it("the CSV import finds a customer by its number in any case", () => {
    const customers = [{ id: "c1", name: "Müller Telekom", number: "K-100" }];
    const preview = classifyRows([{ line: 2, mac: snomMac(0x900), customerNumber: "k-100" }], {
      ...buildCustomerMaps(customers),
      existingMacs: new Map(),
    });
    expect(preview.rows[0]).toMatchObject({ status: "ok", customerId: "c1" });
  });

  it("the reconcile import reuses a customer numbered “unassigned” instead of failing", async () => {
    const id = await customer(acme, "Lost and found", "unassigned");
    expect(await importCustomerId(prisma, acme.organizationId, null)).toBe(id);
  });
});

describe("rows written before the keys existed", () => {
  it("get their keys from the backfill; a number used in another case is kept apart, still found", async () => {
    const org = await createOrganization(prisma, { name: "Upgraded" });
    const user = await createUser(prisma, org.id);
    const actor: Actor = { id: user.id, organizationId: org.id, role: "ADMIN" };
    // Written the way the portal wrote them before migration search_keys: no keys.
    const older = await prisma.customer.create({
      data: { organizationId: org.id, name: "Öztürk İletişim", number: "T-1", createdAt: new Date("2026-01-01T00:00:00Z") },
    });
    const newer = await prisma.customer.create({
      data: { organizationId: org.id, name: "Schröder", number: "t-1", contactName: "Ærø", createdAt: new Date("2026-02-01T00:00:00Z") },
    });
    await prisma.phone.create({ data: { organizationId: org.id, customerId: older.id, mac: snomMac(0xa01), label: "Büro" } });
    await prisma.phone.create({ data: { organizationId: org.id, customerId: newer.id, mac: snomMac(0xa02) } });
    await prisma.auditEvent.create({
      data: { organizationId: org.id, actorEmail: "old@upgraded.example", action: "customer.create", targetType: "customer", summary: "Schröder (t-1)" },
    });
    expect(await listCustomers(actor, { q: "ozturk" })).toMatchObject({ total: 0 });

    const result = await backfillSearchKeys(prisma);
    expect(result.duplicateNumbers).toEqual([{ organizationId: org.id, customerId: newer.id, number: "t-1" }]);
    expect(result.phones).toBeGreaterThanOrEqual(2);
    expect(await prisma.customer.count({ where: { OR: [{ nameKey: null }, { numberKey: null }, { contactKey: null }] } })).toBe(0);
    expect(await prisma.phone.count({ where: { searchKey: null } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { searchKey: null } })).toBe(0);

    const names = async (q: string) => (await listCustomers(actor, { q })).items.map((c) => c.name).sort();
    expect(await names("ozturk")).toEqual(["Öztürk İletişim"]);
    expect(await names("schroeder")).toEqual(["Schröder"]);
    expect(await names("aero")).toEqual(["Schröder"]);
    expect(await names("T-1")).toEqual(["Schröder", "Öztürk İletişim"]);
    expect((await listPhones(actor, { q: "buro" })).items.map((p) => p.mac)).toEqual([snomMac(0xa01)]);
    expect((await listAuditEvents(actor, { q: "SCHRODER" })).total).toBe(1);

    // The duplicate stays editable while its number stays; a new customer cannot take either spelling.
    expect(await updateCustomer(actor, newer.id, input("Schröder", "t-1", { notes: "kept" }))).toEqual({ ok: true });
    expect(await createCustomer(actor, input("Third", "T-1"))).toMatchObject({ ok: false });
    expect(await createCustomer(actor, input("Third", "t-1"))).toMatchObject({ ok: false });
    // Changing the older one's number frees nothing it did not have; renumbering the duplicate resolves it.
    expect(await updateCustomer(actor, newer.id, input("Schröder", "T-2"))).toEqual({ ok: true });
    expect((await backfillSearchKeys(prisma)).customers).toBe(0);
  });
});
