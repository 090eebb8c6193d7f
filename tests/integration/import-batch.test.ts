// The paste page's progress counts the batch just added (walkthrough 4): every import stamps the
// phones it created or moved with its own id, and the counts by that id see exactly those phones,
// of the acting organization only. Real SQLite/PostgreSQL database built from the migrations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { countPhonesByStatus } from "@/lib/data/phones";
import { commitImport, type ImportActor } from "@/lib/import/commit";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";

let actor: Actor & ImportActor;
let foreign: Actor;
let customerId: string;
let otherCustomerId: string;

beforeAll(async () => {
  const org = await createOrganization(prisma);
  const user = await createUser(prisma, org.id, { role: "ADMIN" });
  actor = { id: user.id, userId: user.id, organizationId: org.id, role: "ADMIN" };
  customerId = (await createCustomer(prisma, org.id, { name: "Hotel Seeblick" })).id;
  otherCustomerId = (await createCustomer(prisma, org.id, { name: "Pension Alpenruh" })).id;
  const other = await createOrganization(prisma);
  const otherUser = await createUser(prisma, other.id, { role: "ADMIN" });
  foreign = { id: otherUser.id, organizationId: other.id, role: "ADMIN" };
});

afterAll(async () => {
  await prisma.$disconnect();
});

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function add(input: Parameters<typeof commitImport>[2]) {
  const result = await commitImport(prisma, actor, input);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe("an import's batch", () => {
  it("counts the phones the import created or moved, not the customer's others nor another organization's", async () => {
    // The customer already has 10 phones; another customer has 2, one of which moves in with the batch.
    await add({ customerId, rows: Array.from({ length: 10 }, (_, i) => ({ mac: snomMac(0x500 + i) })) });
    await add({ customerId: otherCustomerId, rows: [{ mac: snomMac(0x600) }, { mac: snomMac(0x601) }] });

    const batch = await add({
      customerId,
      rows: [...Array.from({ length: 20 }, (_, i) => ({ mac: snomMac(0x700 + i) })), { mac: snomMac(0x500) }],
      moveMacs: [snomMac(0x600)],
    });
    expect(batch).toMatchObject({ created: 20, moved: 1, skipped: 1 });

    expect(total(await countPhonesByStatus(actor, customerId))).toBe(31);
    const counts = await countPhonesByStatus(actor, customerId, batch.batchId);
    expect(total(counts)).toBe(21);
    expect(counts.pending).toBe(21);
    // The same id in another organization's hands counts nothing.
    expect(total(await countPhonesByStatus(foreign, customerId, batch.batchId))).toBe(0);
    expect(total(await countPhonesByStatus(foreign, undefined, batch.batchId))).toBe(0);
  });

  it("gives every import its own id; a phone moved by a later import belongs to that one", async () => {
    const first = await add({ customerId: otherCustomerId, rows: [{ mac: snomMac(0x800) }, { mac: snomMac(0x801) }] });
    const second = await add({ customerId, rows: [], moveMacs: [snomMac(0x800)] });
    expect(second.batchId).not.toBe(first.batchId);
    expect(total(await countPhonesByStatus(actor, otherCustomerId, first.batchId))).toBe(1);
    expect(total(await countPhonesByStatus(actor, customerId, second.batchId))).toBe(1);
  });
});
