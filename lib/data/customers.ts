import "server-only";
import { prisma } from "../db";
import { enqueuePhoneSync } from "../sync/outbox";
import type { Prisma } from "../generated/prisma/client";
import { containsText, fail, hasLikeWildcard, isUniqueViolation, likeIds, PAGE_SIZE, type Actor, type Result } from "./common";
import { runTransaction } from "./transaction";

export type CustomerInput = {
  name: string;
  number: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  notes: string | null;
  urlTemplate: string | null;
};

/** The customers list's text search: name, number or contact contain `q` (`%`/`_` literal). */
async function customerTextWhere(actor: Actor, q: string): Promise<Prisma.CustomerWhereInput> {
  if (hasLikeWildcard(q)) return { id: { in: await likeIds("Customer", ["name", "number", "contactName", "contactEmail"], actor.organizationId, q) } };
  return {
    OR: [{ name: containsText(q) }, { number: containsText(q) }, { contactName: containsText(q) }, { contactEmail: containsText(q) }],
  };
}

/**
 * Phones (not being removed) per customer, for the given customers only: `Map<customerId, count>`.
 * Prisma's `_count` in a list joins a count over every customer's phones; this reads the
 * (organizationId, customerId, mac) index for the shown ones.
 */
async function countPhonesOf(actor: Actor, customerIds: string[]): Promise<Map<string, number>> {
  if (customerIds.length === 0) return new Map();
  const groups = await prisma.phone.groupBy({
    by: ["customerId"],
    where: { organizationId: actor.organizationId, customerId: { in: customerIds }, deletedAt: null },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.customerId, g._count._all]));
}

export async function listCustomers(actor: Actor, opts: { q?: string; page?: number }) {
  const q = opts.q?.trim().slice(0, 200);
  const where = { organizationId: actor.organizationId, ...(q ? await customerTextWhere(actor, q) : {}) };
  const total = await prisma.customer.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(opts.page ?? 1, pageCount);
  const rows = await prisma.customer.findMany({
    where,
    orderBy: [{ name: "asc" }, { number: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: { id: true, name: true, number: true, contactName: true, contactEmail: true },
  });
  const counts = await countPhonesOf(actor, rows.map((c) => c.id));
  const items = rows.map((c) => ({ ...c, _count: { phones: counts.get(c.id) ?? 0 } }));
  return { items, total, page, pageCount };
}

/** A customer of the actor's organization, or null (also for another organization's id). */
export async function getCustomer(actor: Actor, id: string) {
  const customer = await prisma.customer.findFirst({
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
    },
  });
  if (!customer) return null;
  const counts = await countPhonesOf(actor, [customer.id]);
  return { ...customer, _count: { phones: counts.get(customer.id) ?? 0 } };
}

/** Customers for pickers (move phone, import): id and name only. */
export async function listCustomerChoices(actor: Actor) {
  return prisma.customer.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, number: true },
  });
}

/** Most choices one combobox lookup returns. */
export const CUSTOMER_CHOICES_LIMIT = 20;

/**
 * The customer filter's combobox: customers whose name or number contains `q` (empty: the first
 * ones), sorted by name, number; at most CUSTOMER_CHOICES_LIMIT, `{ id, name, number }[]`.
 */
export async function searchCustomerChoices(actor: Actor, rawQ: string) {
  const q = rawQ.trim().slice(0, 100);
  const where: Prisma.CustomerWhereInput = {
    organizationId: actor.organizationId,
    ...(q
      ? hasLikeWildcard(q)
        ? { id: { in: await likeIds("Customer", ["name", "number"], actor.organizationId, q) } }
        : { OR: [{ name: containsText(q) }, { number: containsText(q) }] }
      : {}),
  };
  return prisma.customer.findMany({
    where,
    orderBy: [{ name: "asc" }, { number: "asc" }],
    take: CUSTOMER_CHOICES_LIMIT,
    select: { id: true, name: true, number: true },
  });
}

/** One customer as a choice (the filter's current value), or null when not the organization's. */
export async function getCustomerChoice(actor: Actor, id: string) {
  return prisma.customer.findFirst({
    where: { id, organizationId: actor.organizationId },
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
    return await runTransaction(async (tx) => {
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
  return runTransaction(async (tx) => {
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
