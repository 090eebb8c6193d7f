// The daily reconcile and owned-elsewhere recheck (issue 12, points 2 and 4), started by the portal
// process (lib/background.ts) or the worker process (scripts/worker.ts), whichever runs the queue.
// No "server-only": the worker script loads it through tsx.
import type { Db } from "../db-core";
import type { RdsAccount } from "../redirection/types";
import { ReconcileError, startScan } from "./engine";
import { recheckOwnedElsewhere } from "./recheck";
import { logger } from "../log";
import { shortCause } from "../sync/db-trouble";

/** How often the scheduler looks for due organizations. */
export const SCHEDULE_TICK_MS = 10 * 60_000;

export type ReconcileSchedulerOptions = {
  db: Db;
  resolveAccount: (organizationId: string) => Promise<RdsAccount | null>;
  concurrency: number;
  tickMs?: number;
  log?: (line: string) => void;
};

/**
 * One pass: for every organization whose account is usable, not paused and not waiting on an open
 * circuit, re-check its owned-elsewhere phones that are due, and run a reconcile when
 * `reconcileEveryHours` (0 = off) have passed since the last one. An open circuit means the service
 * is down for this account (docs/decisions/0009): a scan would send its 31 listing calls into it,
 * so the organization waits for a later pass (bench:outage counted them as calls during the outage). The built-in sandbox is skipped for the reconcile: only the
 * portal writes to it, so it cannot drift. Organizations are done one after another; each
 * organization's calls are bounded by `concurrency`.
 */
export async function runSchedulePass(opts: ReconcileSchedulerOptions, now = new Date()): Promise<void> {
  const orgs = await opts.db.organization.findMany({
    where: { rdsPausedAt: null, circuitOpenedAt: null },
    select: { id: true, rdsEndpointKind: true, reconcileEveryHours: true, reconcileLastAt: true },
  });
  for (const org of orgs) {
    const account = await opts.resolveAccount(org.id).catch(() => null);
    if (!account) continue;
    const recheck = await recheckOwnedElsewhere(opts.db, org.id, account, {
      concurrency: opts.concurrency,
      actor: "schedule:owner-recheck",
      now,
    });
    if (recheck.checked > 0) opts.log?.(`[reconcile] ${org.id}: owned-elsewhere recheck ${JSON.stringify(recheck)}`);
    if (org.rdsEndpointKind === "SANDBOX" || org.reconcileEveryHours <= 0) continue;
    const dueAt = (org.reconcileLastAt?.getTime() ?? 0) + org.reconcileEveryHours * 3_600_000;
    if (dueAt > now.getTime()) continue;
    try {
      const { finished } = await startScan(opts.db, org.id, account, {
        kind: "reconcile",
        trigger: "schedule",
        concurrency: opts.concurrency,
      });
      await finished;
      opts.log?.(`[reconcile] ${org.id}: scheduled reconcile done`);
    } catch (e) {
      if (!(e instanceof ReconcileError)) throw e;
    }
  }
}

/** Runs a pass now and every `tickMs`; the timer does not keep the process alive. Returns a stop function. */
export function startReconcileScheduler(opts: ReconcileSchedulerOptions): () => void {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runSchedulePass(opts);
    } catch (e) {
      // One line a tick, no stack: an unreachable database must not print a trace every minute.
      logger.error(`reconcile: scheduled pass failed: ${shortCause(e)}`);
      logger.debug({ err: e }, "reconcile: scheduled pass failed (details)");
    } finally {
      busy = false;
    }
  };
  const first = setTimeout(tick, 30_000);
  first.unref();
  const timer = setInterval(tick, opts.tickMs ?? SCHEDULE_TICK_MS);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
