// The transactional outbox: every write that changes what the redirection service should hold
// calls one of these inside the same transaction as the data change.
//
// A SyncJob says "bring this phone's MAC in line with the database"; the worker reads the phone's
// current state when the job runs, so a phone changed twice before its job runs gets one call with
// the latest URL. Writers bump `version`; a job whose version moved while it was in flight is run
// again instead of being marked done.
import type { Db } from "../db-core";
import { insertSyncJobs } from "../import/bulk-sql";

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

/** Queue (or re-queue) a sync of these phones; they show as `pending` until the worker runs. */
export async function enqueuePhoneSync(tx: Tx, organizationId: string, phoneIds: string[]): Promise<void> {
  const now = new Date();
  for (const ids of chunks([...new Set(phoneIds)])) {
    const phones = await tx.phone.findMany({
      where: { organizationId, id: { in: ids } },
      select: { id: true, mac: true },
    });
    if (phones.length === 0) continue;
    const found = phones.map((p) => p.id);
    const existing = await tx.syncJob.findMany({ where: { phoneId: { in: found } }, select: { phoneId: true } });
    const existingIds = new Set(existing.map((j) => j.phoneId));
    if (existingIds.size > 0) {
      await tx.syncJob.updateMany({
        where: { phoneId: { in: [...existingIds] } },
        data: { version: { increment: 1 }, runAfter: now, attempts: 0 },
      });
    }
    const missing = phones.filter((p) => !existingIds.has(p.id));
    if (missing.length > 0) {
      await tx.syncJob.createMany({
        data: missing.map((p) => ({ organizationId, phoneId: p.id, mac: p.mac, runAfter: now })),
      });
    }
    await tx.phone.updateMany({
      where: { organizationId, id: { in: found }, deletedAt: null },
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
  await insertSyncJobs(tx, organizationId, phones);
}

/**
 * Delete phones the way the service needs it: mark them `removing` and queue a deregistration;
 * the worker deletes the row once the service no longer holds the MAC.
 */
export async function markPhonesForRemoval(tx: Tx, organizationId: string, phoneIds: string[]): Promise<void> {
  const now = new Date();
  for (const ids of chunks([...new Set(phoneIds)])) {
    await tx.phone.updateMany({
      where: { organizationId, id: { in: ids } },
      data: { deletedAt: now, syncStatus: "removing", attempts: 0, nextAttemptAt: null },
    });
  }
  await enqueuePhoneSync(tx, organizationId, phoneIds);
  // enqueuePhoneSync resets live phones to pending; removed ones keep `removing` (deletedAt set).
}
