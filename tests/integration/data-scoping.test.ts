// The server-side logic behind the pages, on a real SQLite database: every read and write is scoped
// to the acting user's organization, and the business rules hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createCustomer as createCustomerRow, createOrganization, createUser, snomMac } from "../factories";
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer, type CustomerInput } from "@/lib/data/customers";
import { checkNewMac, countPhonesByStatus, createPhone, deletePhone, getPhone, listPhones, requeuePhones, updatePhone } from "@/lib/data/phones";
import { changeOwnPassword, createUser as createUserAction, listUsers, updateUserAccess } from "@/lib/data/users";
import { setupFirstRun, updateOrganizationSettings } from "@/lib/data/organizations";
import type { Actor } from "@/lib/data/common";

const noFields = { label: null, model: null, serial: null, urlOverride: null };
const customerInput = (over: Partial<CustomerInput> = {}): CustomerInput => ({
  name: "Hotel Seeblick",
  number: "K-2001",
  contactName: null,
  contactEmail: null,
  contactPhone: null,
  notes: null,
  urlTemplate: null,
  ...over,
});

let acme: Actor;
let rival: Actor;
let acmeSales: Actor;

beforeAll(async () => {
  const first = await setupFirstRun({
    organizationName: "Acme Telecom",
    urlTemplate: "https://prov.acme.example/{mac}.xml",
    name: "Ada",
    email: "ada@acme.example",
    password: "a-long-password",
  });
  expect(first).toEqual({ ok: true });
  const ada = await prisma.user.findUniqueOrThrow({ where: { email: "ada@acme.example" } });
  acme = { id: ada.id, organizationId: ada.organizationId, role: "ADMIN" };
  const sales = await createUser(prisma, ada.organizationId, { role: "SALES" });
  acmeSales = { id: sales.id, organizationId: sales.organizationId, role: "SALES" };
  const rivalOrg = await createOrganization(prisma, { name: "Rival" });
  const rivalAdmin = await createUser(prisma, rivalOrg.id, { role: "ADMIN" });
  rival = { id: rivalAdmin.id, organizationId: rivalOrg.id, role: "ADMIN" };
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("first-run setup", () => {
  it("refuses to run once a user exists", async () => {
    const again = await setupFirstRun({ organizationName: "Evil", urlTemplate: null, name: "E", email: "e@evil.example", password: "a-long-password" });
    expect(again).toBe("already_set_up");
    expect(await prisma.organization.count({ where: { name: "Evil" } })).toBe(0);
  });
});

describe("customers", () => {
  it("creates, finds and lists only within the organization", async () => {
    const created = await createCustomer(acme, customerInput());
    if (!created.ok) throw new Error(created.message);
    expect(await getCustomer(acme, created.id)).toMatchObject({ name: "Hotel Seeblick" });
    expect(await getCustomer(rival, created.id)).toBeNull();
    expect((await listCustomers(rival, {})).items.map((c) => c.name)).not.toContain("Hotel Seeblick");
    expect((await listCustomers(acme, { q: "seeblick" })).items.map((c) => c.name)).toEqual(["Hotel Seeblick"]);
    expect((await listCustomers(acme, { q: "K-2001" })).total).toBe(1);
  });

  it("refuses a customer number used twice in one organization, but allows it in another", async () => {
    const dup = await createCustomer(acme, customerInput({ name: "Other" }));
    expect(dup).toMatchObject({ ok: false, fieldErrors: { number: [expect.stringContaining("K-2001")] } });
    const elsewhere = await createCustomer(rival, customerInput());
    expect(elsewhere.ok).toBe(true);
  });

  it("treats another organization's customer id like a missing one for update and delete", async () => {
    const theirs = await createCustomerRow(prisma, rival.organizationId, { name: "Their Secret" });
    expect(await updateCustomer(acme, theirs.id, customerInput({ name: "Hijacked", number: "X-1" }))).toBeNull();
    expect(await deleteCustomer(acme, theirs.id)).toBeNull();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe("Their Secret");
  });

  it("keeps a customer that still has phones", async () => {
    const c = await createCustomerRow(prisma, acme.organizationId);
    const phone = await createPhone(acme, c.id, snomMac(0x100), noFields, null);
    expect(phone).toMatchObject({ ok: true });
    expect(await deleteCustomer(acme, c.id)).toEqual({ ok: false, reason: "has_phones", phoneCount: 1 });
  });
});

describe("phones", () => {
  let customerId: string;
  let otherCustomerId: string;

  beforeAll(async () => {
    customerId = (await createCustomerRow(prisma, acme.organizationId, { name: "Bäckerei Müller" })).id;
    otherCustomerId = (await createCustomerRow(prisma, acme.organizationId, { name: "Kanzlei", urlTemplate: "https://kanzlei.example/{mac}" })).id;
  });

  it("normalises the MAC, queues one sync job, and refuses it a second time: this customer's, or naming the other", async () => {
    const created = await createPhone(acmeSales, customerId, "00:04:13:aa:bb:01", { ...noFields, label: "201" }, null);
    if (!created || !created.ok) throw new Error("not created");
    const phone = await prisma.phone.findUniqueOrThrow({ where: { id: created.id } });
    expect(phone.mac).toBe("000413AABB01");
    expect(phone.createdById).toBe(acmeSales.id);
    expect(await prisma.syncJob.count({ where: { phoneId: created.id } })).toBe(1);

    const again = await createPhone(acme, customerId, "0004.13AA.BB01", noFields, null);
    expect(again).toMatchObject({
      ok: false,
      message: "0004.13AA.BB01 is already a phone of this customer.",
      existingPhoneId: created.id,
      sameCustomer: true,
    });
    const otherCustomer = await createCustomerRow(prisma, acme.organizationId, { name: "Zweitkunde" });
    const elsewhere = await createPhone(acme, otherCustomer.id, "0004.13AA.BB01", noFields, null);
    expect(elsewhere).toMatchObject({ ok: false, message: expect.stringContaining("“Bäckerei Müller”"), existingPhoneId: created.id });
    const check = await checkNewMac(acme, "000413aabb01");
    expect(check).toMatchObject({ ok: false, existing: { customerName: "Bäckerei Müller" } });
  });

  it("lets another organization own the same MAC independently", async () => {
    const theirCustomer = await createCustomerRow(prisma, rival.organizationId);
    const created = await createPhone(rival, theirCustomer.id, "000413AABB01", noFields, null);
    expect(created).toMatchObject({ ok: true });
  });

  it("asks for confirmation before a non-snom prefix, and stores nothing until then", async () => {
    const before = await prisma.phone.count();
    const first = await createPhone(acme, customerId, "AC-DE-48-00-11-22", noFields, null);
    expect(first).toMatchObject({ ok: false, needsConfirmation: true, mac: "ACDE48001122" });
    expect(await prisma.phone.count()).toBe(before);
    // A confirmation covers the MAC that was warned about, not another one typed afterwards.
    const other = await createPhone(acme, customerId, "AC-DE-48-00-11-33", noFields, "ACDE48001122");
    expect(other).toMatchObject({ ok: false, needsConfirmation: true, mac: "ACDE48001133" });
    const confirmed = await createPhone(acme, customerId, "AC-DE-48-00-11-22", noFields, "ACDE48001122");
    expect(confirmed).toMatchObject({ ok: true, mac: "ACDE48001122" });
  });

  it("rejects malformed MACs with the parser's reason and stores nothing", async () => {
    const before = await prisma.phone.count();
    const bad = await createPhone(acme, customerId, "4.135E+127", noFields, null);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { mac: [expect.stringContaining("scientific notation")] } });
    expect(await prisma.phone.count()).toBe(before);
  });

  it("does not add a phone to another organization's customer", async () => {
    const theirCustomer = await createCustomerRow(prisma, rival.organizationId);
    expect(await createPhone(acme, theirCustomer.id, snomMac(0x200), noFields, null)).toBeNull();
  });

  it("searches MACs in any notation, full or partial", async () => {
    for (const q of ["00:04:13:aa:bb:01", "aabb01", "AA-BB-01", "0004.13aa"]) {
      const { items } = await listPhones(acme, { q });
      expect(items.map((p) => p.mac), q).toContain("000413AABB01");
    }
    expect((await listPhones(rival, { q: "aabb01" })).items.every((p) => p.customer.name !== "Bäckerei Müller")).toBe(true);
  });

  it("moving a phone to a customer with another URL re-queues it; a label change does not", async () => {
    const phone = await prisma.phone.findFirstOrThrow({ where: { organizationId: acme.organizationId, mac: "000413AABB01" } });
    await prisma.syncJob.deleteMany({ where: { phoneId: phone.id } });
    await prisma.phone.update({ where: { id: phone.id }, data: { syncStatus: "synced" } });

    expect(await updatePhone(acme, phone.id, { ...noFields, label: "new label", customerId })).toEqual({ ok: true });
    expect(await prisma.syncJob.count({ where: { phoneId: phone.id } })).toBe(0);

    expect(await updatePhone(acme, phone.id, { ...noFields, customerId: otherCustomerId })).toEqual({ ok: true });
    expect(await prisma.syncJob.count({ where: { phoneId: phone.id } })).toBe(1);
    expect((await prisma.phone.findUniqueOrThrow({ where: { id: phone.id } })).syncStatus).toBe("pending");
  });

  it("refuses to move a phone to another organization's customer", async () => {
    const phone = await prisma.phone.findFirstOrThrow({ where: { organizationId: acme.organizationId, mac: "000413AABB01" } });
    const theirCustomer = await createCustomerRow(prisma, rival.organizationId);
    const res = await updatePhone(acme, phone.id, { ...noFields, customerId: theirCustomer.id });
    expect(res).toMatchObject({ ok: false, fieldErrors: { customerId: expect.any(Array) } });
    expect(await updatePhone(rival, phone.id, { ...noFields, customerId: theirCustomer.id })).toBeNull();
  });

  it("deleting marks the phone removing and queues the deregistration; foreign ids are missing", async () => {
    const created = await createPhone(acme, customerId, snomMac(0x300), noFields, null);
    if (!created || !created.ok) throw new Error("not created");
    expect(await deletePhone(rival, created.id)).toBeNull();
    expect(await deletePhone(acme, created.id)).toEqual({ customerId, mac: snomMac(0x300) });
    const phone = await prisma.phone.findUniqueOrThrow({ where: { id: created.id } });
    expect(phone.syncStatus).toBe("removing");
    expect(phone.deletedAt).not.toBeNull();
    expect(await prisma.syncJob.count({ where: { phoneId: created.id } })).toBe(1);
    expect(await getPhone(rival, created.id)).toBeNull();
    const readd = await checkNewMac(acme, snomMac(0x300));
    expect(readd).toMatchObject({ ok: false, message: expect.stringContaining("being removed") });
  });

  it("counts phones per status, per customer and per organization", async () => {
    const counts = await countPhonesByStatus(acme);
    expect(counts.removing).toBe(1);
    const mine = await countPhonesByStatus(acme, customerId);
    expect(Object.values(mine).reduce((a, b) => a + b, 0)).toBe(await prisma.phone.count({ where: { customerId } }));
  });

  it("retries a deregistration that gave up, from the phone and from its customer", async () => {
    const created = await createPhone(acme, customerId, snomMac(0x310), noFields, null);
    if (!created || !created.ok) throw new Error("not created");
    await deletePhone(acme, created.id);
    await prisma.syncJob.deleteMany({ where: { phoneId: created.id } });
    await prisma.phone.update({ where: { id: created.id }, data: { lastErrorCode: "gave_up" } });
    expect(await requeuePhones(acme, { customerId, onlyRetryable: true })).toBeGreaterThanOrEqual(1);
    expect(await prisma.syncJob.count({ where: { phoneId: created.id } })).toBe(1);
    expect((await prisma.phone.findUniqueOrThrow({ where: { id: created.id } })).syncStatus).toBe("removing");
    expect(await requeuePhones(acme, { phoneIds: [created.id] })).toBe(1);
  });

  it("re-queues only the organization's phones", async () => {
    const theirs = await prisma.phone.findFirstOrThrow({ where: { organizationId: rival.organizationId } });
    expect(await requeuePhones(acme, { phoneIds: [theirs.id] })).toBe(0);
  });
});

describe("templates feed the effective URL", () => {
  it("an organization template change re-queues exactly the phones that use it", async () => {
    const org = acme.organizationId;
    const plain = await createCustomerRow(prisma, org);
    const templated = await createCustomerRow(prisma, org, { urlTemplate: "https://own.example/{mac}" });
    const usesOrg = await createPhone(acme, plain.id, snomMac(0x401), noFields, null);
    const hasOverride = await createPhone(acme, plain.id, snomMac(0x402), { ...noFields, urlOverride: "https://x.example/{mac}" }, null);
    const usesCustomer = await createPhone(acme, templated.id, snomMac(0x403), noFields, null);
    const ids = [usesOrg, hasOverride, usesCustomer].map((r) => (r && r.ok ? r.id : ""));
    await prisma.syncJob.deleteMany({ where: { phoneId: { in: ids } } });

    await updateOrganizationSettings(acme, { name: "Acme Telecom", urlTemplate: "https://new.acme.example/{mac}.xml" });
    const queued = (await prisma.syncJob.findMany({ where: { phoneId: { in: ids } } })).map((j) => j.phoneId);
    expect(queued).toEqual([ids[0]]);

    await updateCustomer(acme, templated.id, customerInput({ name: templated.name, number: templated.number, urlTemplate: "https://moved.example/{mac}" }));
    const after = (await prisma.syncJob.findMany({ where: { phoneId: { in: ids } } })).map((j) => j.phoneId).sort();
    expect(after).toEqual([ids[0], ids[2]].sort());
  });
});

describe("users", () => {
  it("lists only the organization's users and never their password hashes", async () => {
    const users = await listUsers(acme);
    expect(users.length).toBe(2);
    expect(JSON.stringify(users)).not.toContain("$2");
  });

  it("refuses an e-mail that exists anywhere, without saying where", async () => {
    const res = await createUserAction(acme, { name: "X", email: (await prisma.user.findFirstOrThrow({ where: { organizationId: rival.organizationId } })).email, role: "SALES", password: "a-long-password" });
    expect(res).toMatchObject({ ok: false, message: "This e-mail is already in use." });
  });

  it("keeps at least one active admin and stops admins from locking themselves out", async () => {
    expect(await updateUserAccess(acme, acme.id, { disabled: true })).toMatchObject({ ok: false });
    expect(await updateUserAccess(acme, acme.id, { role: "SALES" })).toMatchObject({ ok: false });
    expect(await updateUserAccess(rival, acmeSales.id, { role: "ADMIN" })).toBeNull();
    expect(await updateUserAccess(acme, acmeSales.id, { role: "ADMIN" })).toEqual({ ok: true });
    expect(await updateUserAccess(acme, acmeSales.id, { disabled: true })).toEqual({ ok: true });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: acmeSales.id } })).disabled).toBe(true);
  });

  it("changes a password only with the current one", async () => {
    expect(await changeOwnPassword(acme, "wrong", "another-long-password")).toMatchObject({ ok: false });
    expect(await changeOwnPassword(acme, "a-long-password", "another-long-password")).toEqual({ ok: true });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: acme.id } });
    expect(row.sessionsValidFrom?.getTime()).toBeGreaterThan(Date.now() - 5000);
  });
});

describe("dashboard", () => {
  it("lists customers whose phones need attention, scoped and most affected first", async () => {
    const { listCustomersNeedingAttention } = await import("@/lib/data/phones");
    const a = await createCustomerRow(prisma, acme.organizationId, { name: "Attention A" });
    const b = await createCustomerRow(prisma, acme.organizationId, { name: "Attention B" });
    for (const [customer, n, status] of [[a, 0x501, "failed"], [b, 0x502, "rejected"], [b, 0x503, "owned_elsewhere"], [b, 0x504, "synced"]] as const) {
      await prisma.phone.create({ data: { organizationId: acme.organizationId, customerId: customer.id, mac: snomMac(n), syncStatus: status } });
    }
    const list = await listCustomersNeedingAttention(acme);
    expect(list.slice(0, 2).map((c) => [c.name, c.count])).toEqual([["Attention B", 2], ["Attention A", 1]]);
    expect((await listCustomersNeedingAttention(rival)).map((c) => c.name)).not.toContain("Attention B");
  });
});

describe("admin sets a password", () => {
  it("sets it for a user of the organization only", async () => {
    const { setUserPassword } = await import("@/lib/data/users");
    const bcrypt = (await import("bcryptjs")).default;
    expect(await setUserPassword(rival, acmeSales.id, "brand-new-password")).toBeNull();
    expect(await setUserPassword(acme, acmeSales.id, "brand-new-password")).toEqual({ ok: true });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: acmeSales.id }, omit: { passwordHash: false } });
    expect(await bcrypt.compare("brand-new-password", row.passwordHash)).toBe(true);
  });
});
