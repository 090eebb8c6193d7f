// Housekeeping around the queue: history pruning and resuming a paused organization. No
// "server-only": the worker script loads it.
import type { Db } from "../db-core";

/** Keeps the newest `limit` SyncEvent rows per phone. Cheap: one grouped scan, then only phones over the limit. */
export async function pruneSyncHistory(db: Db, limit = 50): Promise<number> {
  const over = await db.syncEvent.groupBy({
    by: ["phoneId"],
    where: { phoneId: { not: null } },
    _count: { _all: true },
    having: { phoneId: { _count: { gt: limit } } },
  });
  let removed = 0;
  for (const row of over) {
    if (!row.phoneId) continue;
    const cutoff = await db.syncEvent.findFirst({
      where: { phoneId: row.phoneId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: limit,
      select: { createdAt: true },
    });
    if (!cutoff) continue;
    const res = await db.syncEvent.deleteMany({
      where: { phoneId: row.phoneId, createdAt: { lte: cutoff.createdAt } },
    });
    removed += res.count;
  }
  return removed;
}

/** Lets a paused organization's queue run again (credentials changed or the connection test passed). */
export async function resumeOrganizationQueue(db: Db, organizationId: string): Promise<void> {
  await db.organization.updateMany({
    where: { id: organizationId },
    data: { rdsPausedAt: null, rdsPausedReason: null },
  });
  await db.phone.updateMany({
    where: { organizationId, lastErrorCode: "auth_failed" },
    data: { lastErrorCode: null, lastErrorText: null },
  });
  await db.phone.updateMany({ where: { organizationId, syncStatus: "paused" }, data: { syncStatus: "pending" } });
}
