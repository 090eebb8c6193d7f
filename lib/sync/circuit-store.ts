// The circuit breaker's shared state on the Organization row: every worker process reads and writes
// it here, and the pages read it to show the banner. No "server-only": the worker script loads it.
// Rules: lib/sync/breaker.ts; design: docs/decisions/0009-outage-breaker-limiter.md. Times compared
// across processes are the database's (lib/db-dialect.ts).
import { databaseNow } from "../db-dialect";
import type { Db } from "../db-core";
import { nextProbeDelayMs, type BreakerPolicy } from "./breaker";

/** Statuses of queued phones that become "waiting" while the circuit is open, and "pending" after. */
const WAITABLE = ["pending", "retrying"];

/**
 * The writes that open the organization's circuit (no-op when already open) and mark its queued
 * phones waiting; the worker's writer runs them in the same transaction as, and after, the results
 * that opened it, so a phone's last "retrying" never overwrites its "waiting". `now` is the
 * database's time in ms (the worker's estimate of it: lib/db-dialect.ts).
 */
export function openCircuitOps(
  db: Db,
  organizationId: string,
  lastError: string,
  policy: BreakerPolicy,
  now: number,
  retryAfterMs?: number,
) {
  const nextProbe = new Date(now + nextProbeDelayMs(now, now, policy, retryAfterMs));
  return [
    db.organization.updateMany({
      where: { id: organizationId, circuitOpenedAt: null },
      data: {
        circuitOpenedAt: new Date(now),
        circuitNextProbeAt: nextProbe,
        circuitLastError: lastError,
        circuitProbes: 0,
      },
    }),
    db.phone.updateMany({
      where: { organizationId, deletedAt: null, syncStatus: { in: WAITABLE } },
      data: { syncStatus: "waiting", nextAttemptAt: null },
    }),
  ];
}

/** Closes the circuit and hands the waiting phones back to the queue (shown as pending again). */
export async function closeCircuit(db: Db, organizationId: string): Promise<void> {
  await db.$transaction([
    db.organization.updateMany({
      where: { id: organizationId },
      data: {
        circuitOpenedAt: null,
        circuitNextProbeAt: null,
        circuitProbeHeldUntil: null,
        circuitLastError: null,
        circuitProbes: 0,
      },
    }),
    db.phone.updateMany({
      where: { organizationId, syncStatus: "waiting" },
      data: { syncStatus: "pending", lastErrorCode: null, lastErrorText: null },
    }),
  ]);
}

export type DueProbe = { organizationId: string; openedAt: Date; probes: number };

/**
 * Organizations whose probe is due, each claimed for this worker: `circuitProbeHeldUntil` is set past
 * the call's timeout first, so of several workers exactly one sends it (the UPDATE matches once), and
 * a worker that dies mid-probe only delays the next by `holdMs`. The claim has its own column so that
 * `circuitNextProbeAt` stays the scheduled check the banner shows (before, the claim moved it
 * 20 s ahead, and the banner said "in 20 s" while the check was under way).
 */
export async function claimDueProbes(db: Db, holdMs: number): Promise<DueProbe[]> {
  const now = await databaseNow(db);
  const free = { OR: [{ circuitProbeHeldUntil: null }, { circuitProbeHeldUntil: { lte: now } }] };
  const due = await db.organization.findMany({
    where: { circuitOpenedAt: { not: null }, circuitNextProbeAt: { lte: now }, ...free },
    select: { id: true, circuitOpenedAt: true, circuitProbeHeldUntil: true, circuitProbes: true },
    take: 50,
  });
  const claimed: DueProbe[] = [];
  for (const org of due) {
    const res = await db.organization.updateMany({
      where: { id: org.id, circuitOpenedAt: { not: null }, circuitProbeHeldUntil: org.circuitProbeHeldUntil },
      data: { circuitProbeHeldUntil: new Date(now.getTime() + holdMs) },
    });
    if (res.count === 1)
      claimed.push({ organizationId: org.id, openedAt: org.circuitOpenedAt!, probes: org.circuitProbes });
  }
  return claimed;
}

/** A probe failed: the next one is scheduled by the policy (and the service's Retry-After). */
export async function recordFailedProbe(
  db: Db,
  probe: DueProbe,
  lastError: string,
  policy: BreakerPolicy,
  retryAfterMs?: number,
): Promise<Date> {
  const now = (await databaseNow(db)).getTime();
  const next = new Date(now + nextProbeDelayMs(probe.openedAt.getTime(), now, policy, retryAfterMs));
  await db.organization.updateMany({
    where: { id: probe.organizationId, circuitOpenedAt: { not: null } },
    data: {
      circuitNextProbeAt: next,
      circuitProbeHeldUntil: null,
      circuitLastError: lastError,
      circuitProbes: { increment: 1 },
    },
  });
  return next;
}

/** "Check now": the next probe is due at once (no-op while the circuit is closed). */
export async function requestProbeNow(db: Db, organizationId: string): Promise<boolean> {
  const res = await db.organization.updateMany({
    where: { id: organizationId, circuitOpenedAt: { not: null } },
    data: { circuitNextProbeAt: await databaseNow(db) },
  });
  return res.count > 0;
}
