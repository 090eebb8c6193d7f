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
  /** When the next scheduled check (probe) goes out; in the past when it is due. */
  nextProbeAt: Date | null;
  /** A worker's check is under way right now (its claim holds until the call's timeout). */
  checking: boolean;
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
        circuitProbeHeldUntil: true,
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
      nextProbeAt: org.circuitNextProbeAt,
      checking: org.circuitProbeHeldUntil !== null && org.circuitProbeHeldUntil.getTime() > Date.now(),
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
        org.circuitProbeHeldUntil?.getTime() ?? 0,
        org.circuitProbes,
        org.circuitLastError,
        org.rdsPausedAt?.getTime() ?? 0,
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  return { counts, inProgress, circuit, paused: org.rdsPausedAt !== null, version };
}

/** What "Check now" found: the banner's answer to the click. */
export type ServiceCheckOutcome =
  /** The circuit is closed (by this check, by another, or before the click): phones are being sent. */
  | { kind: "answering" }
  /** The check ran and failed: the service's error (redacted as in the banner) and the next check. */
  | { kind: "still_down"; lastError: string | null; nextProbeAt: Date | null }
  /** No result within the wait (a slow or hanging service): the banner updates by itself later. */
  | { kind: "under_way" };

/** How long "Check now" waits for the check's result before answering "under way" (ms). */
export const CHECK_NOW_WAIT_MS = 5_000;
const CHECK_NOW_POLL_MS = 150;

/**
 * "Check now" on the banner: makes the organization's next probe due at once, calls `onScheduled`
 * (the action pokes the in-process worker there), then waits at most `waitMs` for a worker's probe to
 * answer, reading the circuit columns every 150 ms: closed (or reopened later) means the service
 * answers; one more failed probe than before means it still does not. A click on a banner that is
 * out of date (the circuit closed meanwhile) answers "answering" at once.
 */
export async function checkServiceNow(
  actor: Actor,
  opts: { onScheduled?: () => void; waitMs?: number } = {},
): Promise<ServiceCheckOutcome> {
  const organizationId = actor.organizationId;
  const readCircuit = () =>
    prisma.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { circuitOpenedAt: true, circuitProbes: true, circuitLastError: true, circuitNextProbeAt: true },
    });
  const before = await readCircuit();
  if (!before.circuitOpenedAt || !(await requestProbeNow(prisma, organizationId))) return { kind: "answering" };
  opts.onScheduled?.();
  const deadline = Date.now() + (opts.waitMs ?? CHECK_NOW_WAIT_MS);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, CHECK_NOW_POLL_MS));
    const now = await readCircuit();
    if (now.circuitOpenedAt?.getTime() !== before.circuitOpenedAt.getTime()) return { kind: "answering" };
    if (now.circuitProbes > before.circuitProbes) {
      const redact = await serviceAccountRedactor(actor);
      return { kind: "still_down", lastError: redact(now.circuitLastError), nextProbeAt: now.circuitNextProbeAt };
    }
  }
  return { kind: "under_way" };
}
