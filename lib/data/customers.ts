import "server-only";
import { prisma } from "../db";
import { enqueuePhoneSync } from "../sync/outbox";
import { containsText, fail, isUniqueViolation, PAGE_SIZE, type Actor, type Result } from "./common";

export type CustomerInput = {
  name: string;
  number: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  notes: string | null;
  urlTemplate: string | null;
};

export async function listCustomers(actor: Actor, opts: { q?: string; page?: number }) {
  const q = opts.q?.trim();
  const where = {
    organizationId: actor.organizationId,
    ...(q
      ? {
          OR: [
            { name: containsText(q) },
            { number: containsText(q) },
            { contactName: containsText(q) },
            { contactEmail: containsText(q) },
          ],
        }
      : {}),
  };
  const total = await prisma.customer.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(opts.page ?? 1, pageCount);
  const items = await prisma.customer.findMany({
    where,
    orderBy: [{ name: "asc" }, { number: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      name: true,
      number: true,
      contactName: true,
      contactEmail: true,
      _count: { select: { phones: { where: { deletedAt: null } } } },
    },
  });
  return { items, total, page, pageCount };
}

/** A customer of the actor's organization, or null (also for another organization's id). */
export async function getCustomer(actor: Actor, id: string) {
  return prisma.customer.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: {
      id: true,
      name: true,
      number: true,
      contactName: true,
      contactEmail: true,
      contactPhone: true,
      notes: true,
      urlTemplate: true,
      profileId: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { phones: { where: { deletedAt: null } } } },
    },
  });
}

/** Customers for pickers (move phone, filters): id and name only. */
export async function listCustomerChoices(actor: Actor) {
  return prisma.customer.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, number: true },
  });
}

const duplicateNumber = (number: string) =>
  fail("Another customer already has this customer number.", {
    number: [`Customer number “${number}” is already used by another customer.`],
  });

export async function createCustomer(actor: Actor, input: CustomerInput): Promise<Result<{ id: string }>> {
  try {
    const customer = await prisma.customer.create({
      data: { ...input, organizationId: actor.organizationId, createdById: actor.id, updatedById: actor.id },
      select: { id: true },
    });
    return { ok: true, id: customer.id };
  } catch (e) {
    if (isUniqueViolation(e)) return duplicateNumber(input.number);
    throw e;
  }
}

export async function updateCustomer(actor: Actor, id: string, input: CustomerInput): Promise<Result | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.customer.findFirst({
        where: { id, organizationId: actor.organizationId },
        select: { urlTemplate: true },
      });
      if (!before) return null;
      await tx.customer.update({ where: { id }, data: { ...input, updatedById: actor.id } });
      if ((before.urlTemplate ?? null) !== (input.urlTemplate ?? null)) {
        // The template feeds the effective URL of every phone without its own override.
        const affected = await tx.phone.findMany({
          where: { customerId: id, organizationId: actor.organizationId, urlOverride: null, deletedAt: null },
          select: { id: true },
        });
        await enqueuePhoneSync(tx, actor.organizationId, affected.map((p) => p.id));
      }
      return { ok: true as const };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return duplicateNumber(input.number);
    throw e;
  }
}

export type DeleteCustomerResult = { ok: true } | { ok: false; reason: "has_phones"; phoneCount: number } | null;

/** A customer that still has phones is kept: the user moves or deletes them first. */
export async function deleteCustomer(actor: Actor, id: string): Promise<DeleteCustomerResult> {
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true, _count: { select: { phones: true } } },
    });
    if (!customer) return null;
    if (customer._count.phones > 0) return { ok: false, reason: "has_phones", phoneCount: customer._count.phones };
    await tx.customer.delete({ where: { id } });
    return { ok: true };
  });
}
