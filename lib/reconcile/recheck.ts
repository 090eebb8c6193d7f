// Owned-elsewhere phones (issue 12, point 4): parked by the worker (no retries); asked about once a
// day here, and queued for registration as soon as the other account has released the MAC.
// No "server-only": the worker script's scheduler runs it with its own Prisma client.
import type { Db } from "../db-core";
import { getPhoneRedirection } from "../redirection/client";
import { cleanServiceText, SERVICE_TEXT_MAX } from "../redirection/service-text";
import type { RdsAccount } from "../redirection/types";
import { enqueuePhoneSync } from "../sync/outbox";
import { mapWithConcurrency } from "./engine";

/** How long an owned-elsewhere phone waits between checks (daily). */
export const OWNER_RECHECK_MS = 24 * 60 * 60_000;
/** Most phones one organization's recheck asks about per pass (the rest wait for the next pass). */
export const OWNER_RECHECK_BATCH = 500;

export type RecheckResult = { checked: number; released: number; stillOwned: number; failed: number };

/**
 * Asks the service about the organization's owned-elsewhere phones not checked (or parked) within
 * OWNER_RECHECK_MS (all of them with `force`, or only `phoneIds`). A MAC nobody holds any more is
 * queued for registration (the worker registers it and records the call); a MAC still held gets
 * its owner company refreshed. Every call is recorded in the phone's history.
 */
export async function recheckOwnedElsewhere(
  db: Db,
  organizationId: string,
  account: RdsAccount,
  opts: { concurrency: number; actor: string; force?: boolean; phoneIds?: string[]; now?: Date },
): Promise<RecheckResult> {
  const now = opts.now ?? new Date();
  const due = new Date(now.getTime() - OWNER_RECHECK_MS);
  const phones = await db.phone.findMany({
    where: {
      organizationId,
      syncStatus: "owned_elsewhere",
      deletedAt: null,
      ...(opts.phoneIds ? { id: { in: opts.phoneIds } } : {}),
      // Never checked: a day after it was parked (the worker asked the owner when it parked it).
      ...(opts.force
        ? {}
        : { OR: [{ ownerCheckedAt: null, updatedAt: { lte: due } }, { ownerCheckedAt: { lte: due } }] }),
    },
    select: { id: true, mac: true },
    orderBy: { ownerCheckedAt: { sort: "asc", nulls: "first" } },
    take: OWNER_RECHECK_BATCH,
  });
  const result: RecheckResult = { checked: 0, released: 0, stillOwned: 0, failed: 0 };
  const released: string[] = [];
  await mapWithConcurrency(phones, opts.concurrency, async (phone) => {
    const res = await getPhoneRedirection(account, phone.mac);
    result.checked++;
    await db.syncEvent.create({
      data: {
        organizationId,
        phoneId: phone.id,
        mac: phone.mac,
        method: "getPhoneRedirection",
        outcome: res.kind,
        actor: opts.actor,
        httpStatus: res.raw.status ?? null,
        rawExcerpt: cleanServiceText(res.raw.excerpt, SERVICE_TEXT_MAX),
        durationMs: Math.round(res.durationMs),
      },
    });
    if (res.kind === "no_such_mac") {
      released.push(phone.id);
      result.released++;
    } else if (res.kind === "ok" || res.kind === "owned_by_other_user") {
      result.stillOwned++;
      await db.phone.updateMany({
        where: { id: phone.id, organizationId, syncStatus: "owned_elsewhere" },
        data: {
          ownerCheckedAt: now,
          ...(res.kind === "ok" && res.data.company ? { ownerCompany: res.data.company } : {}),
        },
      });
    } else {
      result.failed++;
      await db.phone.updateMany({ where: { id: phone.id, organizationId }, data: { ownerCheckedAt: now } });
    }
  });
  if (released.length > 0) {
    await db.$transaction(async (tx) => {
      await enqueuePhoneSync(tx, organizationId, released);
      await tx.phone.updateMany({
        where: { organizationId, id: { in: released } },
        data: { ownerCheckedAt: now, ownerCompany: null },
      });
    });
  }
  return result;
}
