// What the customer screens count is what the actions do: "Retry all failed (N)" queues exactly N
// phones, and the customers list's sync bar counts only the organization's own phones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { countPhonesByCustomerAndStatus, countRetryablePhones, requeuePhones } from "@/lib/data/phones";
import type { Actor } from "@/lib/data/common";

let acme: Actor;
let rival: Actor;
let customerId: string;
let rivalCustomerId: string;

async function phone(organizationId: string, customer: string, n: number, syncStatus: string, lastErrorCode: string | null = null) {
  await prisma.phone.create({
    data: { organizationId, customerId: customer, mac: snomMac(n), syncStatus, lastErrorCode, deletedAt: syncStatus === "removing" ? new Date() : null },
  });
}

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme" });
  const admin = await createUser(prisma, org.id, { role: "ADMIN" });
  acme = { id: admin.id, organizationId: org.id, role: "ADMIN" };
  const other = await createOrganization(prisma, { name: "Rival" });
  const otherAdmin = await createUser(prisma, other.id, { role: "ADMIN" });
  rival = { id: otherAdmin.id, organizationId: other.id, role: "ADMIN" };
  customerId = (await createCustomer(prisma, org.id)).id;
  rivalCustomerId = (await createCustomer(prisma, other.id)).id;
  let n = 1;
  for (const s of ["failed", "failed", "rejected", "owned_elsewhere", "synced", "pending", "needs_url"]) await phone(org.id, customerId, n++, s);
  await phone(org.id, customerId, n++, "removing", "gave_up"); // a deregistration that gave up: retried too
  await phone(org.id, customerId, n++, "removing"); // still being removed: not a failure
  await phone(other.id, rivalCustomerId, 100, "failed");
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("customers list sync bar", () => {
  it("counts each customer's phones by status, scoped to the organization", async () => {
    const counts = await countPhonesByCustomerAndStatus(acme, [customerId, rivalCustomerId]);
    expect([...counts.keys()]).toEqual([customerId]);
    const c = counts.get(customerId)!;
    expect(c).toMatchObject({ failed: 2, rejected: 1, owned_elsewhere: 1, synced: 1, pending: 1, needs_url: 1, removing: 2 });
    expect((await countPhonesByCustomerAndStatus(rival, [customerId])).size).toBe(0);
  });
});

describe("Retry all failed", () => {
  it("shows exactly the number of phones it queues", async () => {
    // failed ×2, rejected, and the deletion that gave up; the owned-elsewhere phone is parked apart.
    const shown = await countRetryablePhones(acme, customerId);
    expect(shown).toBe(4);
    const queued = await requeuePhones(acme, { customerId, onlyRetryable: true });
    expect(queued).toBe(shown);
    expect(await prisma.syncJob.count({ where: { organizationId: acme.organizationId } })).toBe(4);
  });

  it("counts nothing of another organization's customer", async () => {
    expect(await countRetryablePhones(rival, customerId)).toBe(0);
    expect(await countRetryablePhones(acme, rivalCustomerId)).toBe(0);
  });
});
