// The phones export lists phones by customer (name, then number) and then by MAC, across pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { iteratePhones } from "@/lib/data/phones";
import type { Actor } from "@/lib/data/common";

let acme: Actor;

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme" });
  const admin = await createUser(prisma, org.id, { role: "ADMIN" });
  acme = { id: admin.id, organizationId: org.id, role: "ADMIN" };
  const zeta = await createCustomer(prisma, org.id, { name: "Zeta GmbH", number: "K-1" });
  const alpha2 = await createCustomer(prisma, org.id, { name: "Alpha AG", number: "K-3" });
  const alpha1 = await createCustomer(prisma, org.id, { name: "Alpha AG", number: "K-2" });
  await createCustomer(prisma, org.id, { name: "Empty", number: "K-4" });
  // 1200 phones at Zeta (more than one page), in scrambled order; a few at the Alphas.
  const zetaMacs = Array.from({ length: 1200 }, (_, i) => snomMac((i * 7919) % 5000));
  await prisma.phone.createMany({ data: zetaMacs.map((mac) => ({ organizationId: org.id, customerId: zeta.id, mac })) });
  await prisma.phone.createMany({
    data: [
      { organizationId: org.id, customerId: alpha2.id, mac: snomMac(0x20001) },
      { organizationId: org.id, customerId: alpha1.id, mac: snomMac(0x30002) },
      { organizationId: org.id, customerId: alpha1.id, mac: snomMac(0x30001) },
    ],
  });
  const rival = await createOrganization(prisma, { name: "Rival" });
  const rivalCustomer = await createCustomer(prisma, rival.id, { name: "AAA first" });
  await prisma.phone.create({ data: { organizationId: rival.id, customerId: rivalCustomer.id, mac: snomMac(1) } });
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("phones export order", () => {
  it("is customer name, customer number, MAC; every phone once; only the organization's", async () => {
    const rows: { mac: string; customer: { name: string; number: string } }[] = [];
    for await (const p of iteratePhones(acme, {})) rows.push(p);
    expect(rows).toHaveLength(1203);
    expect(rows.slice(0, 3).map((r) => [r.customer.number, r.mac])).toEqual([
      ["K-2", snomMac(0x30001)],
      ["K-2", snomMac(0x30002)],
      ["K-3", snomMac(0x20001)],
    ]);
    const zeta = rows.slice(3).map((r) => r.mac);
    expect(zeta).toEqual([...zeta].sort());
    expect(new Set(zeta).size).toBe(1200);
  });

  it("follows the filters", async () => {
    const rows: { mac: string }[] = [];
    for await (const p of iteratePhones(acme, { q: "03000" })) rows.push(p);
    expect(rows.map((r) => r.mac)).toEqual([snomMac(0x30001), snomMac(0x30002)]);
  });
});
