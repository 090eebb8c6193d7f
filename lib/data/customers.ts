import "server-only";
import { prisma } from "../db";
import { enqueuePhoneSync } from "../sync/outbox";
import type { Prisma } from "../generated/prisma/client";
import { customerKeys, numberKey, querySpellings } from "../search-key";
import { fail, isUniqueViolation, keyContains, PAGE_SIZE, type Actor, type Result } from "./common";
import { provisioningUrlRedactor, resolveSubmittedUrl } from "./need-to-know";
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

/**
 * The customers list's text search: name, number, contact name or e-mail contain `q`, ignoring case
 * and accents ("muller" and "mueller" find "Müller"; `%`, `_` literal), through the search keys.
 * A query that folds to nothing (only blanks or invisible characters) filters nothing.
 */
function customerTextWhere(q: string): Prisma.CustomerWhereInput {
  const spellings = querySpellings(q);
  return spellings.length ? { OR: keyContains(["nameKey", "numberKey", "contactKey"], spellings) } : {};
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
  const where = { organizationId: actor.organizationId, ...(q ? customerTextWhere(q) : {}) };
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
  const counts = await countPhonesOf(
    actor,
    rows.map((c) => c.id),
  );
  const items = rows.map((c) => ({ ...c, _count: { phones: counts.get(c.id) ?? 0 } }));
  return { items, total, page, pageCount };
}

/**
 * A customer of the actor's organization, or null (also for another organization's id). Its URL
 * template is masked for roles without `phones:configure` (provisioningUrlRedactor).
 */
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
  const [counts, mask] = await Promise.all([countPhonesOf(actor, [customer.id]), provisioningUrlRedactor(actor)]);
  return { ...customer, urlTemplate: mask(customer.urlTemplate), _count: { phones: counts.get(customer.id) ?? 0 } };
}

/** Customers for pickers (move phone, import): id and name only. */
export async function listCustomerChoices(actor: Actor) {
  return prisma.customer.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, number: true },
  });
}

/**
 * Ids of the organization's customers whose phones cannot be registered: neither the customer nor
 * the organization has a provisioning URL (their phones show "Needs URL").
 */
export async function listCustomerIdsWithoutUrl(actor: Actor): Promise<string[]> {
  const org = await prisma.organization.findUnique({
    where: { id: actor.organizationId },
    select: { urlTemplate: true },
  });
  if (org?.urlTemplate?.trim()) return [];
  const customers = await prisma.customer.findMany({
    where: { organizationId: actor.organizationId },
    select: { id: true, urlTemplate: true },
  });
  return customers.filter((c) => !c.urlTemplate?.trim()).map((c) => c.id);
}

/** Most choices one combobox lookup returns. */
export const CUSTOMER_CHOICES_LIMIT = 20;

/**
 * The customer filter's combobox: customers whose name or number contains `q`, ignoring case and
 * accents like the list (empty: the first ones), sorted by name, number; at most
 * CUSTOMER_CHOICES_LIMIT, `{ id, name, number }[]`.
 */
export async function searchCustomerChoices(actor: Actor, rawQ: string) {
  const spellings = querySpellings(rawQ.trim().slice(0, 100));
  const where: Prisma.CustomerWhereInput = {
    organizationId: actor.organizationId,
    ...(spellings.length ? { OR: keyContains(["nameKey", "numberKey"], spellings) } : {}),
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

/**
 * The failure for a customer number that another customer of the organization has, in any case
 * ("K-100" and "k-100" are one number: unique on (organizationId, numberKey)); names that customer.
 */
async function duplicateNumber(actor: Actor, number: string, exceptId?: string) {
  const other = await prisma.customer.findFirst({
    where: {
      organizationId: actor.organizationId,
      OR: [{ numberKey: numberKey(number) }, { number }],
      ...(exceptId ? { NOT: { id: exceptId } } : {}),
    },
    select: { name: true, number: true },
  });
  const owner = other ? `${other.name}${other.number === number ? "" : ` (as “${other.number}”)`}` : "another customer";
  const message = `Customer number ${number} is already used by ${owner}.`;
  return fail(message, { number: [message] });
}

export async function createCustomer(actor: Actor, input: CustomerInput): Promise<Result<{ id: string }>> {
  const resolved = await resolveSubmittedUrl(actor, input.urlTemplate, null);
  if (!resolved.ok) return fail(resolved.message, { urlTemplate: [resolved.message] });
  try {
    const customer = await prisma.customer.create({
      data: {
        ...input,
        ...customerKeys(input),
        organizationId: actor.organizationId,
        createdById: actor.id,
        updatedById: actor.id,
      },
      select: { id: true },
    });
    return { ok: true, id: customer.id };
  } catch (e) {
    if (isUniqueViolation(e)) return duplicateNumber(actor, input.number);
    throw e;
  }
}

export async function updateCustomer(actor: Actor, id: string, input: CustomerInput): Promise<Result | null> {
  const stored = await prisma.customer.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: { urlTemplate: true },
  });
  if (!stored) return null;
  const resolved = await resolveSubmittedUrl(actor, input.urlTemplate, stored.urlTemplate);
  if (!resolved.ok) return fail(resolved.message, { urlTemplate: [resolved.message] });
  input = { ...input, urlTemplate: resolved.url };
  try {
    return await runTransaction(async (tx) => {
      const before = await tx.customer.findFirst({
        where: { id, organizationId: actor.organizationId },
        select: { urlTemplate: true, number: true, numberKey: true },
      });
      if (!before) return null;
      const keys = customerKeys(input);
      // A number kept as it was keeps its key: a duplicate from before numbers were unique in any
      // case (key suffixed by the backfill) can still be edited; changing its number resolves it.
      if (before.number === input.number && before.numberKey) keys.numberKey = before.numberKey;
      await tx.customer.update({ where: { id }, data: { ...input, ...keys, updatedById: actor.id } });
      if ((before.urlTemplate ?? null) !== (input.urlTemplate ?? null)) {
        // The template feeds the effective URL of every phone without its own override.
        const affected = await tx.phone.findMany({
          where: { customerId: id, organizationId: actor.organizationId, urlOverride: null, deletedAt: null },
          select: { id: true },
        });
        await enqueuePhoneSync(
          tx,
          actor.organizationId,
          affected.map((p) => p.id),
        );
      }
      return { ok: true as const };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return duplicateNumber(actor, input.number, id);
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
