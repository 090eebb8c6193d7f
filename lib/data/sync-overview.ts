import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "../db";
import { requestProbeNow } from "../sync/circuit-store";
import { IN_PROGRESS_STATUSES, SYNC_STATUSES, type SyncStatus } from "../sync/status";
import type { Actor } from "./common";
import { serviceAccountRedactor } from "./need-to-know";

export type CircuitView = {
  /** Since when the service has not answered (circuit open). */
  openedAt: Date;
  /** When the next check (probe) goes out; null while one is under way. */
  nextProbeAt: Date | null;
  /** The last error in words, endpoint and username hidden for users without org:manage. */
  lastError: string | null;
  /** Phones of the organization waiting for the service (waiting, pending or retrying). */
  waiting: number;
};

export type SyncOverview = {
  counts: Record<SyncStatus, number>;
  /** Phones queued, syncing, retrying, waiting or being removed: the live pages poll while > 0. */
  inProgress: number;
  circuit: CircuitView | null;
  paused: boolean;
  /**
   * Changes whenever anything a page shows about sync changes (counts, circuit, any phone's row):
   * an opaque hex string, used as the status route's ETag.
   */
  version: string;
};

/**
 * The acting user's organization's sync state in three small queries (grouped counts, the newest
 * phone change, the circuit columns), for the live pages (app/api/sync-status) and the banner.
 */
export async function getSyncOverview(actor: Actor): Promise<SyncOverview> {
  const organizationId = actor.organizationId;
  const [groups, newest, org] = await Promise.all([
    prisma.phone.groupBy({ by: ["syncStatus"], where: { organizationId }, _count: { _all: true } }),
    prisma.phone.aggregate({ where: { organizationId }, _max: { updatedAt: true } }),
    prisma.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: {
        circuitOpenedAt: true,
        circuitNextProbeAt: true,
        circuitLastError: true,
        circuitProbes: true,
        rdsPausedAt: true,
      },
    }),
  ]);
  const counts = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
  for (const g of groups) if (g.syncStatus in counts) counts[g.syncStatus as SyncStatus] = g._count._all;
  const inProgress = IN_PROGRESS_STATUSES.reduce((n, s) => n + counts[s], 0);
  let circuit: CircuitView | null = null;
  if (org.circuitOpenedAt) {
    const redact = await serviceAccountRedactor(actor);
    circuit = {
      openedAt: org.circuitOpenedAt,
      // A probe holds the slot past its timeout while it runs; show "checking" rather than a far time.
      nextProbeAt: org.circuitNextProbeAt,
      lastError: redact(org.circuitLastError),
      // Phones queued after the circuit opened show "Pending" until it closes; they wait all the same.
      waiting: counts.waiting + counts.pending + counts.retrying,
    };
  }
  const version = createHash("sha256")
    .update(
      JSON.stringify([
        counts,
        newest._max.updatedAt?.getTime() ?? 0,
        org.circuitOpenedAt?.getTime() ?? 0,
        org.circuitNextProbeAt?.getTime() ?? 0,
        org.circuitProbes,
        org.circuitLastError,
        org.rdsPausedAt?.getTime() ?? 0,
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  return { counts, inProgress, circuit, paused: org.rdsPausedAt !== null, version };
}

/** "Check now" on the banner: the next probe of the organization's open circuit is due at once. */
export async function checkServiceNow(actor: Actor): Promise<boolean> {
  return requestProbeNow(prisma, actor.organizationId);
}
