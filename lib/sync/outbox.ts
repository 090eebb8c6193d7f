// The transactional outbox: every write that changes what the redirection service should hold
// calls one of these inside the same transaction as the data change.
//
// A SyncJob says "bring this phone's MAC in line with the database"; the worker reads the phone's
// current state when the job runs, so a phone changed twice before its job runs gets one call with
// the latest URL. Writers bump `version`; a job whose version moved while it was in flight is run
// again instead of being marked done.
import type { Db } from "../db-core";
import { databaseNow } from "../db-dialect";
import { insertSyncJobs, upsertSyncJobs } from "../import/bulk-sql";

type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const CHUNK = 500;

/** Phone override, else customer template, else organization template; `{mac}` kept verbatim. */
export function effectiveUrl(
  phoneOverride: string | null | undefined,
  customerTemplate: string | null | undefined,
  orgTemplate: string | null | undefined,
): string | null {
  for (const candidate of [phoneOverride, customerTemplate, orgTemplate]) {
    const v = candidate?.trim();
    if (v) return v;
  }
  return null;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Queue (or re-queue) a sync of these phones of `organizationId` (ids of other organizations'
 * phones are ignored); they show as `pending` until the worker runs. One upsert per phone (a new
 * job, or the existing one's version bumped: lib/import/bulk-sql.ts upsertSyncJobs), so concurrent
 * writers queuing the same phone never collide on the one-job-per-phone key. Due at the database's
 * clock (lib/db-dialect.ts), the clock claims compare with.
 */
export async function enqueuePhoneSync(tx: Tx, organizationId: string, phoneIds: string[]): Promise<void> {
  const unique = [...new Set(phoneIds)].sort();
  if (unique.length === 0) return;
  const now = await databaseNow(tx);
  for (const ids of chunks(unique)) {
    const phones = await tx.phone.findMany({
      where: { organizationId, id: { in: ids } },
      select: { id: true, mac: true },
    });
    if (phones.length === 0) continue;
    await upsertSyncJobs(tx, organizationId, phones, now);
    await tx.phone.updateMany({
      where: { organizationId, id: { in: phones.map((p) => p.id) }, deletedAt: null },
      data: { syncStatus: "pending", attempts: 0, nextAttemptAt: null },
    });
  }
}

/**
 * Queue jobs for phones just created in this transaction (they have no job yet). Multi-row raw
 * INSERTs, ~3x faster than createMany for a bulk import: docs/decisions/0004-bulk-import.md.
 */
export async function enqueueNewPhones(
  tx: Tx,
  organizationId: string,
  phones: { id: string; mac: string }[],
): Promise<void> {
  await insertSyncJobs(tx, organizationId, phones, await databaseNow(tx));
}

/**
 * Delete phones the way the service needs it: mark them `removing` and queue a deregistration;
 * the worker deletes the row once the service no longer holds the MAC.
 */
export async function markPhonesForRemoval(tx: Tx, organizationId: string, phoneIds: string[]): Promise<void> {
  const now = await databaseNow(tx);
  for (const ids of chunks([...new Set(phoneIds)].sort())) {
    await tx.phone.updateMany({
      where: { organizationId, id: { in: ids } },
      data: { deletedAt: now, syncStatus: "removing", attempts: 0, nextAttemptAt: null },
    });
  }
  await enqueuePhoneSync(tx, organizationId, phoneIds);
  // enqueuePhoneSync resets live phones to pending; removed ones keep `removing` (deletedAt set).
}
