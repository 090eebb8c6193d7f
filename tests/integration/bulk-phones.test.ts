// Bulk actions on the phones list (issue 12, point 5): a selection of ticked rows, pasted MACs or a
// filter, scoped to the actor's organization; move, delete, retry and re-point through the queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { PERMISSION_DENIED_MESSAGES } from "@/lib/auth/roles";
import { applyBulkOperation, resolveSelection, type BulkSelection } from "@/lib/data/bulk-phones";
import type { Actor } from "@/lib/data/common";
import { repointProgress, rollbackRepoint } from "@/lib/reconcile/repoint";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";

let admin: Actor;
let sales: Actor;
let other: Actor;
const actor = (u: { id: string; organizationId: string; role: string }): Actor => ({
  id: u.id,
  organizationId: u.organizationId,
  role: u.role as Actor["role"],
});
let from: { id: string };
let to: { id: string };
const macs = [1, 2, 3, 4].map((n) => snomMac(0x880000 + n));

beforeAll(async () => {
  const org = await createOrganization(prisma);
  admin = actor(await createUser(prisma, org.id, { role: "ADMIN" }));
  sales = actor(await createUser(prisma, org.id, { role: "SALES" }));
  from = await createCustomer(prisma, org.id, { name: "From" });
  to = await createCustomer(prisma, org.id, { name: "To" });
  await prisma.phone.createMany({
    data: macs.map((mac) => ({ organizationId: org.id, customerId: from.id, mac, syncStatus: "synced" })),
  });
  const otherOrg = await createOrganization(prisma);
  other = actor(await createUser(prisma, otherOrg.id, { role: "ADMIN" }));
  const otherCustomer = await createCustomer(prisma, otherOrg.id);
  await prisma.phone.create({
    data: { organizationId: otherOrg.id, customerId: otherCustomer.id, mac: snomMac(0x880099), syncStatus: "synced" },
  });
});
afterAll(() => prisma.$disconnect());

describe("bulk phone actions", () => {
  it("selects pasted MACs in any notation and names the unknown and malformed ones", async () => {
    const text = `00:04:13:88:00:01\n0004.1388.0002, ${snomMac(0x880099)}\nnot-a-mac`;
    const sel = await resolveSelection(admin, { kind: "macs", text });
    // The other organization's MAC is unknown here, not selected.
    expect(sel).toMatchObject({ ok: true, unknownMacs: [snomMac(0x880099)], invalid: ["not-a-mac"] });
    expect(sel?.ok && sel.ids.length).toBe(2);
  });

  it("moves the pasted phones to another customer and queues them; ticked ids of another organization are refused", async () => {
    const res = await applyBulkOperation(
      admin,
      { kind: "macs", text: `${macs[0]}\n${macs[1]}` },
      { kind: "move", customerId: to.id },
    );
    expect(res).toMatchObject({ ok: true, count: 2 });
    expect(await prisma.phone.count({ where: { customerId: to.id, syncStatus: "pending" } })).toBe(2);
    expect(await prisma.syncJob.count({ where: { organizationId: admin.organizationId } })).toBe(2);

    const foreign = await prisma.phone.findFirstOrThrow({ where: { organizationId: other.organizationId } });
    expect(await applyBulkOperation(admin, { kind: "ids", phoneIds: [foreign.id] }, { kind: "retry" })).toBeNull();
    expect(
      await applyBulkOperation(admin, { kind: "ids", phoneIds: [foreign.id] }, { kind: "move", customerId: to.id }),
    ).toBeNull();
    expect(await prisma.phone.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ syncStatus: "synced" });
  });

  it("re-points all phones matching a filter (admins only) and the run can be rolled back", async () => {
    const NEW_URL = "https://moved.example.net/{mac}.xml";
    expect(
      await applyBulkOperation(
        sales,
        { kind: "filter", filter: { customerId: from.id } },
        { kind: "repoint", template: NEW_URL },
      ),
    ).toMatchObject({ ok: false });
    const res = await applyBulkOperation(
      admin,
      { kind: "filter", filter: { customerId: from.id } },
      { kind: "repoint", template: NEW_URL },
    );
    expect(res).toMatchObject({ ok: true, count: 2 });
    const runId = res?.ok ? res.runId! : "";
    expect((await repointProgress(prisma, admin.organizationId, runId))?.phones.map((p) => p.mac).sort()).toEqual([
      macs[2],
      macs[3],
    ]);
    expect(await prisma.phone.count({ where: { organizationId: admin.organizationId, urlOverride: NEW_URL } })).toBe(2);
    await rollbackRepoint(prisma, admin.organizationId, runId);
    expect(await prisma.phone.count({ where: { organizationId: admin.organizationId, urlOverride: NEW_URL } })).toBe(0);
  });

  it("deletes ticked phones by deregistering them first (admins only: sales staff are refused and nothing changes)", async () => {
    const phone = await prisma.phone.findFirstOrThrow({ where: { mac: macs[3] } });
    const before = await prisma.phone.findUniqueOrThrow({ where: { id: phone.id } });
    const jobs = await prisma.syncJob.count({ where: { organizationId: admin.organizationId } });
    const selections: BulkSelection[] = [
      { kind: "ids", phoneIds: [phone.id] },
      { kind: "filter", filter: { customerId: from.id } },
    ];
    for (const selection of selections) {
      expect(await applyBulkOperation(sales, selection, { kind: "delete" })).toEqual({
        ok: false,
        message: PERMISSION_DENIED_MESSAGES["phones:bulk-delete"],
      });
    }
    expect(await prisma.phone.findUniqueOrThrow({ where: { id: phone.id } })).toEqual(before);
    expect(await prisma.syncJob.count({ where: { organizationId: admin.organizationId } })).toBe(jobs);
    expect(PERMISSION_DENIED_MESSAGES["phones:bulk-delete"]).toMatch(/^Only admins can delete many phones at once/);

    expect(await applyBulkOperation(admin, { kind: "ids", phoneIds: [phone.id] }, { kind: "delete" })).toMatchObject({
      ok: true,
      count: 1,
    });
    expect(await prisma.phone.findUniqueOrThrow({ where: { id: phone.id } })).toMatchObject({ syncStatus: "removing" });
  });
});
