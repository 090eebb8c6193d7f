import "server-only";
import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { macSearchFragment, parseMac } from "../mac";
import { effectiveUrl, enqueueNewPhones, enqueuePhoneSync, markPhonesForRemoval } from "../sync/outbox";
import { likePattern, phoneKeys, querySpellings } from "../search-key";
import { fail, isUniqueViolation, keyContains, PAGE_SIZE, type Actor, type Result } from "./common";
import { runTransaction } from "./transaction";
import { provisioningUrlRedactor, resolveSubmittedUrl, serviceAccountRedactor } from "./need-to-know";
import { SYNC_STATUSES, type SyncStatus } from "../sync/status";

export type PhoneInput = {
  label: string | null;
  model: string | null;
  serial: string | null;
  urlOverride: string | null;
};

export type PhoneFilter = {
  q?: string;
  customerId?: string;
  status?: string;
  page?: number;
  /** Provisioning stage: "never" = registered but no fetch `neverDays` days after registration; "24h" = fetched in the last 24 h; "ever"; "logging". */
  fetch?: string;
  neverDays?: number;
  /** Firmware version of the last fetch, exactly. */
  firmware?: string;
};

export const FETCH_FILTERS = ["never", "24h", "ever", "logging"] as const;

/** The provisioning part of the phones filter (pure; `now` for tests). */
export function fetchWhere(filter: Pick<PhoneFilter, "fetch" | "neverDays" | "firmware">, now = new Date()) {
  const days = Math.min(Math.max(Math.trunc(filter.neverDays ?? 7), 0), 3650);
  const firmware = filter.firmware?.trim().slice(0, 40);
  return {
    ...(filter.fetch === "never"
      ? { syncStatus: "synced", provFirstFetchAt: null, syncedAt: { lte: new Date(now.getTime() - days * 86_400_000) } }
      : filter.fetch === "24h"
        ? { provLastFetchAt: { gte: new Date(now.getTime() - 86_400_000) } }
        : filter.fetch === "ever"
          ? { provFirstFetchAt: { not: null } }
          : filter.fetch === "logging"
            ? { logLines: { some: {} } }
            : {}),
    ...(firmware ? { provFirmware: firmware } : {}),
  };
}

/**
 * The where of the phones list and export. `q`: a full MAC in any notation (12 hex digits with or
 * without separators) is an exact match on the (organizationId, mac) unique index; anything else
 * is a substring of the MAC (hex digits only), of the label or serial, or of the name or number of
 * the phone's customer, ignoring case and accents ("muller" and "mueller" find "Müller"; `%`, `_`
 * and `\\` literal) through the search keys (lib/search-key.ts).
 */
export async function phoneWhere(actor: Actor, filter: PhoneFilter): Promise<Prisma.PhoneWhereInput & { organizationId: string }> {
  return (await phoneQuery(actor, filter)).where;
}

/** `broad`: a text search with more than SEARCH_IDS_LIMIT matches (not counted exactly). */
async function phoneQuery(
  actor: Actor,
  filter: PhoneFilter,
): Promise<{ where: Prisma.PhoneWhereInput & { organizationId: string }; broad: boolean }> {
  const q = filter.q?.trim().slice(0, 200);
  const status = SYNC_STATUSES.includes(filter.status as SyncStatus) ? (filter.status as SyncStatus) : undefined;
  const provisioning = fetchWhere(filter);
  const text = q ? await textWhere(actor, q) : null;
  const where = {
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(status ? { syncStatus: status } : {}),
    ...provisioning,
    ...(text?.where ?? {}),
    organizationId: actor.organizationId,
  };
  return { where, broad: text?.broad ?? false };
}

/** Most matches a text search resolves to ids in one scan; broader searches use the MAC-ordered walk. */
export const SEARCH_IDS_LIMIT = 1000;

/** Most customers whose name or number matches that a phone search looks at (a distributor has ~2000). */
export const SEARCH_CUSTOMERS_LIMIT = 5000;

async function textWhere(actor: Actor, q: string): Promise<{ where: Prisma.PhoneWhereInput; broad: boolean }> {
  const full = parseMac(q);
  if (full.ok) return { where: { mac: full.mac }, broad: false };
  const fragment = macSearchFragment(q);
  const spellings = querySpellings(q);
  if (!fragment && spellings.length === 0) return { where: {}, broad: false };
  const customerIds = await searchCustomerIds(actor.organizationId, spellings);
  // One pass over the phones collects the matches; the count and the page then read only those
  // rows. Without it a rare fragment costs a full scan for the count plus a walk of every phone in
  // MAC order for the page (docs/decisions/0011-scale.md).
  const ids = await searchPhoneIds(actor.organizationId, spellings, fragment, customerIds);
  if (ids.length <= SEARCH_IDS_LIMIT) return { where: { id: { in: ids } }, broad: false };
  // Many matches: they are dense, so walking the phones in MAC order fills a page at once; they
  // are not counted (another full scan) beyond "more than SEARCH_IDS_LIMIT".
  return {
    where: {
      OR: [
        ...(fragment ? [{ mac: { contains: fragment } }] : []),
        ...keyContains(["searchKey"], spellings),
        ...(customerIds.length ? [{ customerId: { in: customerIds } }] : []),
      ],
    },
    broad: true,
  };
}

/** Ids of the organization's customers whose name or number contains one of `spellings` (at most SEARCH_CUSTOMERS_LIMIT). */
async function searchCustomerIds(organizationId: string, spellings: string[]): Promise<string[]> {
  if (spellings.length === 0) return [];
  const rows = await prisma.customer.findMany({
    where: { organizationId, OR: keyContains(["nameKey", "numberKey"], spellings) },
    // In the order of (organizationId, name, number, nameKey, numberKey): the keys are tested in that
    // index (a `take` without an order makes Prisma sort by id, a scan of every organization's customers).
    orderBy: [{ name: "asc" }, { number: "asc" }],
    take: SEARCH_CUSTOMERS_LIMIT,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Ids of the organization's phones whose MAC contains `fragment` (hex), whose label/serial key
 * contains one of `spellings` (folded: no LIKE wildcard in them) or whose customer is one of
 * `customerIds`; at most SEARCH_IDS_LIMIT + 1. Standard SQL; no ORDER BY, so the database scans and
 * stops early.
 */
async function searchPhoneIds(organizationId: string, spellings: string[], fragment: string | null, customerIds: string[]): Promise<string[]> {
  const conditions = [
    ...(fragment ? [Prisma.sql`"mac" LIKE ${likePattern(fragment)}`] : []),
    ...spellings.map((s) => Prisma.sql`"searchKey" LIKE ${likePattern(s)}`),
    ...(customerIds.length ? [Prisma.sql`"customerId" IN (${Prisma.join(customerIds)})`] : []),
  ];
  const rows = await prisma.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT "id" FROM "Phone" WHERE "organizationId" = ${organizationId}
      AND (${Prisma.join(conditions, " OR ")})
      LIMIT ${SEARCH_IDS_LIMIT + 1}`,
  );
  return rows.map((r) => r.id);
}

const listSelect = {
  id: true,
  mac: true,
  label: true,
  model: true,
  serial: true,
  urlOverride: true,
  syncStatus: true,
  syncedAt: true,
  nextAttemptAt: true,
  attempts: true,
  lastErrorCode: true,
  lastErrorText: true,
  ownerCompany: true,
  registeredUrl: true,
  provLastFetchAt: true,
  provFirmware: true,
  customer: { select: { id: true, name: true, number: true, urlTemplate: true } },
} as const;

type PhoneTexts = {
  urlOverride: string | null;
  registeredUrl: string | null;
  lastErrorText: string | null;
  customer: { urlTemplate: string | null };
};

/**
 * What a phone row may show the actor: `text` hides the redirection service account
 * (serviceAccountRedactor), `url` masks provisioning URLs (provisioningUrlRedactor), `phone` applies
 * both to a row's URL and error fields.
 */
async function phoneTextRedactor(actor: Actor) {
  const [text, url] = await Promise.all([serviceAccountRedactor(actor), provisioningUrlRedactor(actor)]);
  const phone = <P extends PhoneTexts>(p: P): P => ({
    ...p,
    urlOverride: url(p.urlOverride),
    registeredUrl: url(p.registeredUrl),
    lastErrorText: text(url(p.lastErrorText)),
    customer: { ...p.customer, urlTemplate: url(p.customer.urlTemplate) },
  });
  return { text, url, phone };
}

/**
 * How many phones match `where`. Prisma's `count` selects the `id` of every matching row in a
 * subquery, and `id` is in no index but its own, so SQLite reads each row from the table (a full
 * scan for "all phones"). A groupBy over the organization counts the same rows as
 * `SELECT COUNT(*) … GROUP BY organizationId`, which the (organizationId, …) indexes answer alone.
 */
export async function countPhones(where: Prisma.PhoneWhereInput & { organizationId: string }): Promise<number> {
  const groups = await prisma.phone.groupBy({ by: ["organizationId"], where, _count: { _all: true } });
  return groups[0]?._count._all ?? 0;
}

/**
 * One page of the phones list. `total` is exact, except for a text search with more than
 * SEARCH_IDS_LIMIT matches: then `totalIsLowerBound` is true, `total` is SEARCH_IDS_LIMIT and the
 * pages stop there (refine the search to see the rest).
 */
export async function listPhones(actor: Actor, filter: PhoneFilter) {
  const { where, broad } = await phoneQuery(actor, filter);
  const total = broad ? SEARCH_IDS_LIMIT : await countPhones(where);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pageCount);
  const [rows, redact] = await Promise.all([
    prisma.phone.findMany({
      where,
      orderBy: [{ mac: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: listSelect,
    }),
    phoneTextRedactor(actor),
  ]);
  const items = rows.map((p) => redact.phone(p));
  return { items, total, totalIsLowerBound: broad, page, pageCount };
}

/** Customers per keyset page of the export, and most phones per query. */
const EXPORT_CUSTOMER_PAGE = 200;
const EXPORT_PHONE_PAGE = 2000;

/**
 * Every phone matching the filter for the CSV export, sorted by customer (name, then number) and
 * then by MAC. Customers are read in keyset pages of 200 by (name, number) (unique per
 * organization) and their matching phones counted (index only). Consecutive customers with at most
 * 2000 phones together are read in one query; a bigger customer alone, in keyset pages of 2000 by
 * MAC. Every query is a range of (organizationId, customerId, mac), memory stays flat (at most 2000
 * phones and 200 customers), no row is read twice, and 100 000 phones of 2000 customers take about
 * 100 queries instead of one per customer.
 */
export async function* iteratePhones(actor: Actor, filter: PhoneFilter) {
  const where = await phoneWhere(actor, filter);
  const redact = await phoneTextRedactor(actor);
  const { customer: _unused, ...phoneSelect } = listSelect;
  type ExportCustomer = { id: string; name: string; number: string; urlTemplate: string | null };
  const withCustomer = <P extends Omit<PhoneTexts, "customer">>(p: P, customer: ExportCustomer) =>
    redact.phone<P & { customer: ExportCustomer }>({ ...p, customer });
  let afterCustomer: { name: string; number: string } | undefined;
  for (;;) {
    const customers: ExportCustomer[] = await prisma.customer.findMany({
      where: {
        organizationId: actor.organizationId,
        ...(filter.customerId ? { id: filter.customerId } : {}),
        ...(afterCustomer
          ? {
              OR: [
                { name: { gt: afterCustomer.name } },
                { name: afterCustomer.name, number: { gt: afterCustomer.number } },
              ],
            }
          : {}),
      },
      orderBy: [{ name: "asc" }, { number: "asc" }],
      take: EXPORT_CUSTOMER_PAGE,
      select: listSelect.customer.select,
    });
    const counts = await prisma.phone.groupBy({
      by: ["customerId"],
      where: { AND: [where, { customerId: { in: customers.map((c) => c.id) } }] },
      _count: { _all: true },
    });
    const countOf = new Map(counts.map((c) => [c.customerId, c._count._all]));
    let group: ExportCustomer[] = [];
    let groupSize = 0;
    const flush = async function* () {
      if (group.length === 0) return;
      const rows = await prisma.phone.findMany({
        where: { AND: [where, { customerId: { in: group.map((c) => c.id) } }] },
        // customerId first: ranges of (organizationId, customerId, mac), not a walk of every phone by MAC.
        orderBy: [{ customerId: "asc" }, { mac: "asc" }],
        select: { ...phoneSelect, customerId: true },
      });
      const byCustomer = new Map<string, typeof rows>();
      for (const p of rows) byCustomer.set(p.customerId, [...(byCustomer.get(p.customerId) ?? []), p]);
      for (const customer of group) for (const p of byCustomer.get(customer.id) ?? []) yield withCustomer(p, customer);
      group = [];
      groupSize = 0;
    };
    for (const customer of customers) {
      const n = countOf.get(customer.id) ?? 0;
      if (n === 0) continue;
      if (n > EXPORT_PHONE_PAGE) {
        yield* flush();
        let afterMac: string | undefined;
        for (;;) {
          const batch = await prisma.phone.findMany({
            where: { AND: [where, { customerId: customer.id }, ...(afterMac ? [{ mac: { gt: afterMac } }] : [])] },
            orderBy: { mac: "asc" },
            take: EXPORT_PHONE_PAGE,
            select: phoneSelect,
          });
          for (const p of batch) yield withCustomer(p, customer);
          if (batch.length < EXPORT_PHONE_PAGE) break;
          afterMac = batch[batch.length - 1].mac;
        }
        continue;
      }
      if (groupSize + n > EXPORT_PHONE_PAGE) yield* flush();
      group.push(customer);
      groupSize += n;
    }
    yield* flush();
    if (customers.length < EXPORT_CUSTOMER_PAGE) break;
    const last = customers[customers.length - 1];
    afterCustomer = { name: last.name, number: last.number };
  }
}

export async function getPhone(actor: Actor, id: string) {
  const phone = await prisma.phone.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: {
      ...listSelect,
      createdAt: true,
      updatedAt: true,
      deletedAt: true,
      ownerCheckedAt: true,
      organization: { select: { urlTemplate: true } },
    },
  });
  if (!phone) return null;
  const redact = await phoneTextRedactor(actor);
  return {
    ...redact.phone(phone),
    organization: { urlTemplate: redact.url(phone.organization.urlTemplate) },
  };
}

export type MacCheck =
  | { ok: true; mac: string; isSnom: boolean }
  | { ok: false; message: string; existing?: { phoneId: string; customerId: string; customerName: string } };

/** Parse a MAC and make sure the organization does not have it yet. */
export async function checkNewMac(actor: Actor, raw: string): Promise<MacCheck> {
  const parsed = parseMac(raw);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const existing = await prisma.phone.findUnique({
    where: { organizationId_mac: { organizationId: actor.organizationId, mac: parsed.mac } },
    select: { id: true, deletedAt: true, customer: { select: { id: true, name: true } } },
  });
  if (existing) {
    return {
      ok: false,
      message: existing.deletedAt
        ? `${parsed.mac} is being removed from the redirection service; add it again in a minute.`
        : `${parsed.mac} is already registered here for customer “${existing.customer.name}”.`,
      existing: { phoneId: existing.id, customerId: existing.customer.id, customerName: existing.customer.name },
    };
  }
  return parsed;
}

export type CreatePhoneResult =
  | Result<{ id: string; mac: string; customerName: string }>
  | { ok: false; needsConfirmation: true; mac: string; message: string }
  | { ok: false; message: string; fieldErrors: Record<string, string[]>; existingPhoneId?: string; sameCustomer?: boolean };

export async function createPhone(
  actor: Actor,
  customerId: string,
  rawMac: string,
  input: PhoneInput,
  /** The MAC the user confirmed after the non-snom warning: it confirms that MAC only. */
  confirmedNonSnomMac: string | null,
): Promise<CreatePhoneResult | null> {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, organizationId: actor.organizationId },
    select: { id: true, name: true },
  });
  if (!customer) return null;
  const resolved = await resolveSubmittedUrl(actor, input.urlOverride, null);
  if (!resolved.ok) return fail(resolved.message, { urlOverride: [resolved.message] });
  const check = await checkNewMac(actor, rawMac);
  if (!check.ok) {
    if (check.existing && check.existing.customerId === customerId) {
      const message = `${rawMac.trim()} is already a phone of this customer.`;
      return { ok: false, message, fieldErrors: { mac: [message] }, existingPhoneId: check.existing.phoneId, sameCustomer: true };
    }
    return { ok: false, message: check.message, fieldErrors: { mac: [check.message] }, existingPhoneId: check.existing?.phoneId };
  }
  if (!check.isSnom && confirmedNonSnomMac !== check.mac) {
    return {
      ok: false,
      needsConfirmation: true,
      mac: check.mac,
      message: `${check.mac} does not start with a snom prefix (000413 or 00087B). Check it, then confirm to add it anyway.`,
    };
  }
  try {
    const id = await runTransaction(async (tx) => {
      const phone = await tx.phone.create({
        data: {
          ...input,
          ...phoneKeys(input),
          mac: check.mac,
          organizationId: actor.organizationId,
          customerId,
          createdById: actor.id,
          updatedById: actor.id,
        },
        select: { id: true, mac: true },
      });
      await enqueueNewPhones(tx, actor.organizationId, [phone]);
      return phone.id;
    });
    return { ok: true, id, mac: check.mac, customerName: customer.name };
  } catch (e) {
    if (isUniqueViolation(e)) return fail(`${check.mac} was just added by someone else.`, { mac: ["This MAC already exists."] });
    throw e;
  }
}

export async function updatePhone(
  actor: Actor,
  id: string,
  input: PhoneInput & { customerId: string },
): Promise<Result | null> {
  const stored = await prisma.phone.findFirst({
    where: { id, organizationId: actor.organizationId, deletedAt: null },
    select: { urlOverride: true },
  });
  if (!stored) return null;
  const resolved = await resolveSubmittedUrl(actor, input.urlOverride, stored.urlOverride);
  if (!resolved.ok) return fail(resolved.message, { urlOverride: [resolved.message] });
  input = { ...input, urlOverride: resolved.url };
  return runTransaction(async (tx) => {
    const before = await tx.phone.findFirst({
      where: { id, organizationId: actor.organizationId, deletedAt: null },
      select: {
        urlOverride: true,
        customer: { select: { id: true, urlTemplate: true } },
        organization: { select: { urlTemplate: true } },
      },
    });
    if (!before) return null;
    const target = await tx.customer.findFirst({
      where: { id: input.customerId, organizationId: actor.organizationId },
      select: { id: true, urlTemplate: true },
    });
    if (!target) return fail("Choose one of your customers.", { customerId: ["This customer does not exist."] });
    await tx.phone.update({
      where: { id },
      data: {
        label: input.label,
        model: input.model,
        serial: input.serial,
        ...phoneKeys(input),
        urlOverride: input.urlOverride,
        customerId: target.id,
        updatedById: actor.id,
      },
    });
    const orgTemplate = before.organization.urlTemplate;
    const oldUrl = effectiveUrl(before.urlOverride, before.customer.urlTemplate, orgTemplate);
    const newUrl = effectiveUrl(input.urlOverride, target.urlTemplate, orgTemplate);
    if (oldUrl !== newUrl || before.customer.id !== target.id) {
      await enqueuePhoneSync(tx, actor.organizationId, [id]);
    }
    return { ok: true as const };
  });
}

/** Move several phones to another customer (from the import preview's "move here"). */
export async function movePhones(actor: Actor, phoneIds: string[], customerId: string): Promise<number | null> {
  return runTransaction(async (tx) => {
    const target = await tx.customer.findFirst({
      where: { id: customerId, organizationId: actor.organizationId },
      select: { id: true },
    });
    if (!target) return null;
    const { count } = await tx.phone.updateMany({
      where: { id: { in: phoneIds }, organizationId: actor.organizationId, deletedAt: null },
      data: { customerId, updatedById: actor.id },
    });
    await enqueuePhoneSync(tx, actor.organizationId, phoneIds);
    return count;
  });
}

/** Deletion deregisters the MAC first; the row goes once the service has forgotten it. */
export async function deletePhone(actor: Actor, id: string): Promise<{ customerId: string; mac: string } | null> {
  return runTransaction(async (tx) => {
    const phone = await tx.phone.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true, customerId: true, mac: true },
    });
    if (!phone) return null;
    await markPhonesForRemoval(tx, actor.organizationId, [phone.id]);
    return { customerId: phone.customerId, mac: phone.mac };
  });
}

/**
 * What the customer page says after a phone of it was deleted (`?deleted=<MAC>` from
 * deletePhoneAction): `removing` while the row waits for the worker to deregister the MAC, false
 * once it is gone. Null when the MAC is malformed or a live phone of this customer has it (a stale
 * or hand-typed link says nothing).
 */
export async function getDeletedPhoneNotice(
  actor: Actor,
  customerId: string,
  mac: string,
): Promise<{ mac: string; removing: boolean } | null> {
  if (!/^[0-9A-F]{12}$/.test(mac)) return null;
  const phone = await prisma.phone.findFirst({
    where: { organizationId: actor.organizationId, customerId, mac },
    select: { deletedAt: true },
  });
  if (phone && !phone.deletedAt) return null;
  return { mac, removing: !!phone };
}

/**
 * Counts per sync status, for the dashboard (no customer), one customer, or one import's phones of
 * that customer (`importBatchId`, as commitImport stamps them: the paste page's progress).
 */
export async function countPhonesByStatus(
  actor: Actor,
  customerId?: string,
  importBatchId?: string,
): Promise<Record<SyncStatus, number>> {
  const groups = await prisma.phone.groupBy({
    by: ["syncStatus"],
    where: {
      organizationId: actor.organizationId,
      ...(customerId ? { customerId } : {}),
      ...(importBatchId ? { importBatchId } : {}),
    },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const g of groups) if (g.syncStatus in counts) counts[g.syncStatus as SyncStatus] = g._count._all;
  return counts;
}

/** The phone's calls to the service, newest first, with the acting user's name (or "sync worker"). */
export async function listPhoneHistory(actor: Actor, phoneId: string, take = 50) {
  const events = await prisma.syncEvent.findMany({
    where: { organizationId: actor.organizationId, phoneId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      createdAt: true,
      method: true,
      outcome: true,
      actor: true,
      url: true,
      httpStatus: true,
      rawExcerpt: true,
      durationMs: true,
    },
  });
  const userIds = [...new Set(events.map((e) => e.actor).filter((a) => a.startsWith("user:")).map((a) => a.slice(5)))];
  const users = await prisma.user.findMany({
    where: { organizationId: actor.organizationId, id: { in: userIds } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [`user:${u.id}`, u.name]));
  const redact = await phoneTextRedactor(actor);
  return events.map((e) => ({
    ...e,
    url: redact.url(e.url),
    rawExcerpt: redact.text(redact.url(e.rawExcerpt)),
    actor: names.get(e.actor) ?? (e.actor.startsWith("worker:") ? "sync worker" : "a former user"),
  }));
}

/**
 * What "Retry all failed" takes: failed and rejected phones. Owned-elsewhere phones are parked with
 * their own daily re-check and "Check again now" (lib/reconcile/recheck.ts), so they are not counted.
 */
export const RETRYABLE_STATUSES = ["failed", "rejected"] as const;

/**
 * Queue phones again: given ids, a whole customer, or only a customer's phones in trouble.
 * Returns how many were queued (0 when nothing of the organization matched).
 */
export async function requeuePhones(
  actor: Actor,
  target: { phoneIds: string[] } | { customerId: string; onlyRetryable?: boolean },
): Promise<number> {
  return runTransaction(async (tx) => {
    const where =
      "phoneIds" in target
        ? { organizationId: actor.organizationId, id: { in: target.phoneIds } }
        : target.onlyRetryable
          ? retryableWhere(actor, target.customerId)
          : { organizationId: actor.organizationId, customerId: target.customerId };
    const phones = await tx.phone.findMany({ where, select: { id: true } });
    await enqueuePhoneSync(tx, actor.organizationId, phones.map((p) => p.id));
    return phones.length;
  });
}

/**
 * The phones "Retry all failed" queues again: failed, rejected or owned elsewhere, and deletions
 * whose deregistration gave up (those must be able to run again too).
 */
function retryableWhere(actor: Actor, customerId: string) {
  return {
    organizationId: actor.organizationId,
    customerId,
    OR: [{ syncStatus: { in: [...RETRYABLE_STATUSES] } }, { syncStatus: "removing", lastErrorCode: "gave_up" }],
  };
}

/** How many phones "Retry all failed" would queue for this customer: exactly what requeuePhones takes. */
export async function countRetryablePhones(actor: Actor, customerId: string): Promise<number> {
  return countPhones(retryableWhere(actor, customerId));
}

/**
 * Phones per sync status for each of the given customers (of the actor's organization), for the
 * customers list: `Map<customerId, Record<SyncStatus, number>>`; customers without phones are absent.
 */
export async function countPhonesByCustomerAndStatus(
  actor: Actor,
  customerIds: string[],
): Promise<Map<string, Record<SyncStatus, number>>> {
  const out = new Map<string, Record<SyncStatus, number>>();
  if (customerIds.length === 0) return out;
  const groups = await prisma.phone.groupBy({
    by: ["customerId", "syncStatus"],
    where: { organizationId: actor.organizationId, customerId: { in: customerIds } },
    _count: { _all: true },
  });
  for (const g of groups) {
    let counts = out.get(g.customerId);
    if (!counts) {
      counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
      out.set(g.customerId, counts);
    }
    if (g.syncStatus in counts) counts[g.syncStatus as SyncStatus] += g._count._all;
  }
  return out;
}

export const ATTENTION_STATUSES = ["failed", "rejected", "owned_elsewhere", "needs_url"] as const;

/** Customers with phones that need someone's attention, most affected first. */
export async function listCustomersNeedingAttention(actor: Actor, take = 10) {
  const groups = await prisma.phone.groupBy({
    by: ["customerId"],
    where: { organizationId: actor.organizationId, syncStatus: { in: [...ATTENTION_STATUSES] } },
    _count: { _all: true },
    orderBy: { _count: { customerId: "desc" } },
    take,
  });
  if (groups.length === 0) return [];
  const customers = await prisma.customer.findMany({
    where: { organizationId: actor.organizationId, id: { in: groups.map((g) => g.customerId) } },
    select: { id: true, name: true, number: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  return groups.flatMap((g) => {
    const c = byId.get(g.customerId);
    return c ? [{ ...c, count: g._count._all }] : [];
  });
}
