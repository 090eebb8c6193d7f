// Bulk re-point (issue 12, point 3): move every phone of a customer, of a status, or of the whole
// organization to a new URL template when the provisioning server moves. A dry run lists each
// phone's old → new URL; the run sets each phone's URL override and queues it through the outbox
// (the worker registers it and records each call); the previous overrides are kept in a
// ReconcileRun of kind "repoint" so one action puts them back. No "server-only": tests and scripts use it.
import type { Db } from "../db-core";
import { effectiveUrl, enqueuePhoneSync } from "../sync/outbox";
import { ReconcileError } from "./engine";

/** Most phones one re-point moves (the whole batch is one transaction and one stored list). */
export const MAX_REPOINT_PHONES = 20_000;

/** Which phones: one customer's, one status's, exactly these ids (bulk selection on the phones list), or all of them (none set). */
export type RepointScope = { customerId?: string | null; status?: string | null; phoneIds?: string[] | null };

export type RepointItem = {
  phoneId: string;
  mac: string;
  /** The phone's own override before the run (null: it inherited its customer's or organization's template). */
  oldOverride: string | null;
  /** The URL it had (effective, template form), or null when it had none. */
  oldUrl: string | null;
  newUrl: string;
};

export type RepointPlan = { items: RepointItem[]; changed: number; unchanged: number };

async function scopedPhones(db: Db, organizationId: string, scope: RepointScope) {
  if (scope.customerId) {
    const customer = await db.customer.findFirst({
      where: { id: scope.customerId, organizationId },
      select: { id: true },
    });
    if (!customer) throw new ReconcileError("That customer does not exist.");
  }
  const where = {
    organizationId,
    deletedAt: null,
    ...(scope.customerId ? { customerId: scope.customerId } : {}),
    ...(scope.status ? { syncStatus: scope.status } : {}),
    ...(scope.phoneIds ? { id: { in: scope.phoneIds } } : {}),
  };
  const count = await db.phone.count({ where });
  if (count > MAX_REPOINT_PHONES)
    throw new ReconcileError(
      `${count} phones match: at most ${MAX_REPOINT_PHONES} can be re-pointed at once. Narrow the selection.`,
    );
  return db.phone.findMany({
    where,
    select: {
      id: true,
      mac: true,
      urlOverride: true,
      customer: { select: { urlTemplate: true } },
      organization: { select: { urlTemplate: true } },
    },
    orderBy: { mac: "asc" },
  });
}

/** The dry run: every phone in scope with its current and new URL. Writes nothing. */
export async function planRepoint(
  db: Db,
  organizationId: string,
  scope: RepointScope,
  template: string,
): Promise<RepointPlan> {
  const phones = await scopedPhones(db, organizationId, scope);
  const items = phones.map((p) => ({
    phoneId: p.id,
    mac: p.mac,
    oldOverride: p.urlOverride,
    oldUrl: effectiveUrl(p.urlOverride, p.customer.urlTemplate, p.organization.urlTemplate),
    newUrl: template,
  }));
  const changed = items.filter((i) => i.oldUrl !== i.newUrl).length;
  return { items, changed, unchanged: items.length - changed };
}

/**
 * Runs the re-point: every phone whose URL changes gets `template` as its override and is queued
 * (one transaction). Returns the run id that rollback and progress use.
 */
export async function applyRepoint(
  db: Db,
  organizationId: string,
  scope: RepointScope,
  template: string,
  trigger: string,
): Promise<{ runId: string; queued: number }> {
  const plan = await planRepoint(db, organizationId, scope, template);
  const items = plan.items.filter((i) => i.oldUrl !== i.newUrl);
  if (items.length === 0) throw new ReconcileError("Every phone in the selection already uses this URL.");
  const runId = await db.$transaction(async (tx) => {
    for (let i = 0; i < items.length; i += 500) {
      await tx.phone.updateMany({
        where: { organizationId, id: { in: items.slice(i, i + 500).map((x) => x.phoneId) } },
        data: { urlOverride: template },
      });
    }
    await enqueuePhoneSync(
      tx,
      organizationId,
      items.map((x) => x.phoneId),
    );
    const run = await tx.reconcileRun.create({
      data: {
        organizationId,
        kind: "repoint",
        trigger,
        status: "applied",
        total: items.length,
        entriesJson: JSON.stringify(items),
        finishedAt: new Date(),
      },
      select: { id: true },
    });
    return run.id;
  });
  return { runId, queued: items.length };
}

export type RepointProgress = {
  runId: string;
  status: "applied" | "rolled_back";
  total: number;
  /** Phones by current sync status (synced, pending, syncing, failed, …). */
  byStatus: Record<string, number>;
  /** Per phone: MAC, old → new URL, current status and last error. */
  phones: (RepointItem & { syncStatus: string; lastErrorText: string | null })[];
};

/** Live progress of a re-point: where each of its phones stands now. null when not the organization's. */
export async function repointProgress(db: Db, organizationId: string, runId: string): Promise<RepointProgress | null> {
  const run = await db.reconcileRun.findFirst({ where: { id: runId, organizationId, kind: "repoint" } });
  if (!run) return null;
  const items = JSON.parse(run.entriesJson) as RepointItem[];
  const states = new Map<string, { syncStatus: string; lastErrorText: string | null }>();
  for (let i = 0; i < items.length; i += 500) {
    const rows = await db.phone.findMany({
      where: { organizationId, id: { in: items.slice(i, i + 500).map((x) => x.phoneId) } },
      select: { id: true, syncStatus: true, lastErrorText: true },
    });
    for (const r of rows) states.set(r.id, r);
  }
  const phones = items.map((i) => ({
    ...i,
    syncStatus: states.get(i.phoneId)?.syncStatus ?? "deleted",
    lastErrorText: states.get(i.phoneId)?.lastErrorText ?? null,
  }));
  const byStatus: Record<string, number> = {};
  for (const p of phones) byStatus[p.syncStatus] = (byStatus[p.syncStatus] ?? 0) + 1;
  return { runId, status: run.status as RepointProgress["status"], total: items.length, byStatus, phones };
}

/**
 * Puts every phone of a re-point back to its previous override and queues it. Phones whose
 * override was changed since (by someone else) keep that change. Throws ReconcileError for an
 * unknown or already rolled-back run.
 */
export async function rollbackRepoint(
  db: Db,
  organizationId: string,
  runId: string,
): Promise<{ restored: number; kept: number }> {
  const run = await db.reconcileRun.findFirst({ where: { id: runId, organizationId, kind: "repoint" } });
  if (!run) throw new ReconcileError("That re-point does not exist.");
  if (run.status === "rolled_back") throw new ReconcileError("That re-point was already rolled back.");
  const items = JSON.parse(run.entriesJson) as RepointItem[];
  return db.$transaction(async (tx) => {
    const restoredIds: string[] = [];
    for (const item of items) {
      const updated = await tx.phone.updateMany({
        where: { id: item.phoneId, organizationId, deletedAt: null, urlOverride: item.newUrl },
        data: { urlOverride: item.oldOverride },
      });
      if (updated.count === 1) restoredIds.push(item.phoneId);
    }
    await enqueuePhoneSync(tx, organizationId, restoredIds);
    const claimed = await tx.reconcileRun.updateMany({
      where: { id: run.id, status: "applied" },
      data: { status: "rolled_back" },
    });
    if (claimed.count !== 1) throw new ReconcileError("That re-point was already rolled back.");
    return { restored: restoredIds.length, kept: items.length - restoredIds.length };
  });
}
