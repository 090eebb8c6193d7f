// Fills the search keys of rows written before they existed (migration search_keys adds the columns
// empty: SQL cannot fold accents the way lib/search-key.ts does, and SQLite's lower() only knows
// ASCII). Run once at start of the portal's server process (lib/background.ts); every write since
// the migration sets the keys itself, so later runs find nothing to do. Idempotent, so several
// instances may run it at once. docs/decisions/0012-search.md.
// No "server-only": lib/background.ts and tests use it with their own Prisma client.
import type { Db } from "./db-core";
import { auditKey } from "./audit/events";
import { customerKeys, KEY_SEPARATOR, numberKey, phoneKeys } from "./search-key";
import { logger } from "./log";
import { shortCause } from "./sync/db-trouble";

/** Rows read and written per statement group: short write transactions, flat memory. */
export const BACKFILL_BATCH = 500;

export type BackfillResult = {
  customers: number;
  phones: number;
  auditEvents: number;
  /** Customers whose number another customer of the organization already has in another case ("K-100" / "k-100"). */
  duplicateNumbers: { organizationId: string; customerId: string; number: string }[];
};

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

/**
 * The key of a number a customer cannot have plainly because another one of its organization has
 * it in another case: the plain key, the separator and the customer's id. Unique, still found by
 * a search for the number (a query never holds the separator), and left as it is until someone
 * changes one of the two numbers (then the edit is refused with the other customer's name).
 */
export function duplicateNumberKey(number: string, customerId: string): string {
  return `${numberKey(number)}${KEY_SEPARATOR}${customerId}`;
}

/**
 * Computes the keys of every customer, phone and audit event whose key is NULL, in batches of
 * BACKFILL_BATCH, oldest customers first (so of two numbers that differ only in case the older
 * customer keeps the plain key). Returns how many rows of each it filled.
 */
export async function backfillSearchKeys(db: Db): Promise<BackfillResult> {
  const result: BackfillResult = { customers: 0, phones: 0, auditEvents: 0, duplicateNumbers: [] };

  for (;;) {
    const customers = await db.customer.findMany({
      where: { OR: [{ nameKey: null }, { numberKey: null }, { contactKey: null }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BACKFILL_BATCH,
      select: { id: true, organizationId: true, name: true, number: true, contactName: true, contactEmail: true, numberKey: true },
    });
    // One at a time: a unique violation must not undo the rest (PostgreSQL aborts a failed transaction).
    for (const c of customers) {
      const keys = customerKeys(c);
      if (c.numberKey) keys.numberKey = c.numberKey;
      const taken = await db.customer.findFirst({
        where: { organizationId: c.organizationId, numberKey: keys.numberKey, NOT: { id: c.id } },
        select: { id: true },
      });
      const duplicate = () => {
        keys.numberKey = duplicateNumberKey(c.number, c.id);
        result.duplicateNumbers.push({ organizationId: c.organizationId, customerId: c.id, number: c.number });
      };
      if (taken) duplicate();
      try {
        await db.customer.update({ where: { id: c.id }, data: keys });
      } catch (e) {
        // Another process gave that key to another customer meanwhile.
        if (!isUniqueViolation(e) || taken) throw e;
        duplicate();
        await db.customer.update({ where: { id: c.id }, data: keys });
      }
      result.customers++;
    }
    if (customers.length < BACKFILL_BATCH) break;
  }

  for (;;) {
    const phones = await db.phone.findMany({
      where: { searchKey: null },
      take: BACKFILL_BATCH,
      select: { id: true, label: true, serial: true },
    });
    if (phones.length) await db.$transaction(phones.map((p) => db.phone.update({ where: { id: p.id }, data: phoneKeys(p) })));
    result.phones += phones.length;
    if (phones.length < BACKFILL_BATCH) break;
  }

  for (;;) {
    const events = await db.auditEvent.findMany({
      where: { searchKey: null },
      take: BACKFILL_BATCH,
      select: { id: true, summary: true, actorEmail: true },
    });
    if (events.length)
      await db.$transaction(events.map((e) => db.auditEvent.update({ where: { id: e.id }, data: { searchKey: auditKey(e) } })));
    result.auditEvents += events.length;
    if (events.length < BACKFILL_BATCH) break;
  }
  return result;
}

/** The backfill at start, with one log line when it did anything (never fails the process). */
export async function backfillSearchKeysAtStart(db: Db): Promise<void> {
  try {
    const r = await backfillSearchKeys(db);
    if (r.customers + r.phones + r.auditEvents === 0) return;
    logger.info(
      `search keys computed: ${r.customers} customers, ${r.phones} phones, ${r.auditEvents} audit events` +
        (r.duplicateNumbers.length
          ? `; ${r.duplicateNumbers.length} customer numbers also used in another case by another customer (kept; changing one resolves it): ${r.duplicateNumbers
              .slice(0, 20)
              .map((d) => d.number)
              .join(", ")}`
          : ""),
    );
  } catch (e) {
    logger.error({ err: e }, `computing search keys failed (searches miss the rows without one): ${shortCause(e)}`);
  }
}
