// Probing open circuits (docs/decisions/0009-outage-breaker-limiter.md): one harmless call (`network.echo`) per account whose
// probe is due, claimed across all workers through the Organization row. No "server-only": the
// worker script loads it.
import type { Db } from "../db-core";
import { echo } from "../redirection/client";
import type { RdsAccount } from "../redirection/types";
import type { BreakerPolicy } from "./breaker";
import { claimDueProbes, closeCircuit, recordFailedProbe } from "./circuit-store";

/**
 * Sends every due probe this worker wins (`holdMs` keeps other workers off while it runs: above the
 * call timeout). Any answer that is not transient, even refused credentials (which then pause the
 * queue the usual way), closes the circuit. Returns the organizations whose circuit it closed.
 */
export async function probeDueCircuits(
  db: Db,
  opts: {
    holdMs: number;
    breaker: BreakerPolicy;
    accountFor: (organizationId: string) => Promise<RdsAccount | null>;
    log: (line: string, fields?: { organizationId?: string }) => void;
    onCall?: () => void;
  },
): Promise<string[]> {
  const closed: string[] = [];
  for (const probe of await claimDueProbes(db, opts.holdMs)) {
    const account = await opts.accountFor(probe.organizationId);
    if (!account) {
      await recordFailedProbe(db, probe, "No usable redirection account.", opts.breaker);
      continue;
    }
    opts.onCall?.();
    // Paced by the breaker's schedule: the failure throttle would hold it up to 2 s more.
    const res = await echo(account, "ping", { paced: true });
    if (res.kind === "transient") {
      const next = await recordFailedProbe(db, probe, res.message, opts.breaker, res.raw.retryAfterMs);
      opts.log(`org ${probe.organizationId}: probe failed (${res.message}); next at ${next.toISOString()}`, {
        organizationId: probe.organizationId,
      });
    } else {
      await closeCircuit(db, probe.organizationId);
      opts.log(`org ${probe.organizationId}: probe answered (${res.kind}); circuit closed`, { organizationId: probe.organizationId });
      closed.push(probe.organizationId);
    }
  }
  return closed;
}

/** Of these organizations (open in this worker's memory), those whose circuit another worker closed. */
export async function findClosedCircuits(db: Db, organizationIds: string[]): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  const rows = await db.organization.findMany({
    where: { id: { in: organizationIds }, circuitOpenedAt: null },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
