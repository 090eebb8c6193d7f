import "server-only";
import { prisma } from "../db";
import { hasPermission, PERMISSION_DENIED_MESSAGES } from "../auth/roles";
import { MAX_AUDIT_MACS } from "../audit/summary";
import { parsePastedMacs } from "../mac";
import { ReconcileError } from "../reconcile/engine";
import { applyRepoint } from "../reconcile/repoint";
import { enqueuePhoneSync, markPhonesForRemoval } from "../sync/outbox";
import { fail, type Actor, type Result } from "./common";
import { runTransaction } from "./transaction";
import { phoneWhere, type PhoneFilter } from "./phones";

/** Most phones one bulk action changes (one transaction). */
export const MAX_BULK_PHONES = 20_000;
/** Most MACs a pasted selection may list. */
export const MAX_PASTED_MACS = 20_000;

export type BulkSelection =
  { kind: "ids"; phoneIds: string[] } | { kind: "macs"; text: string } | { kind: "filter"; filter: PhoneFilter };

export type BulkOperation =
  { kind: "move"; customerId: string } | { kind: "delete" } | { kind: "retry" } | { kind: "repoint"; template: string };

/**
 * `count`: phones changed; `selected`: phones the selection named; `auditMacs`: the first
 * MAX_AUDIT_MACS of their MACs in order, for the audit row (the rest are counted, not named).
 */
export type BulkResult = {
  count: number;
  selected: number;
  auditMacs: string[];
  unknownMacs: string[];
  invalid: string[];
  runId?: string;
};

/**
 * The actor's phones a selection names: ticked rows (ids re-checked here), a pasted list of MACs
 * (any notation, one per line or separated by commas/semicolons; unknown and malformed ones
 * reported), or every phone matching the list's filter. Deleted phones are never selected.
 * null: a ticked id is not one of the actor's live phones.
 */
export async function resolveSelection(
  actor: Actor,
  selection: BulkSelection,
): Promise<Result<{ ids: string[]; unknownMacs: string[]; invalid: string[] }> | null> {
  const base = { organizationId: actor.organizationId, deletedAt: null };
  if (selection.kind === "ids") {
    const ids = [...new Set(selection.phoneIds)].slice(0, MAX_BULK_PHONES + 1);
    const rows = await prisma.phone.findMany({ where: { ...base, id: { in: ids } }, select: { id: true } });
    // A ticked id that is not the organization's (or is gone) is a 404, like every other foreign id.
    if (rows.length !== ids.length) return null;
    return { ok: true, ids: rows.map((r) => r.id), unknownMacs: [], invalid: [] };
  }
  if (selection.kind === "macs") {
    const { macs: list, invalid, tokens } = parsePastedMacs(selection.text);
    if (tokens > MAX_PASTED_MACS) return fail(`${tokens} MACs pasted: at most ${MAX_PASTED_MACS} at once.`);
    const rows: { id: string; mac: string }[] = [];
    for (let i = 0; i < list.length; i += 500) {
      rows.push(
        ...(await prisma.phone.findMany({
          where: { ...base, mac: { in: list.slice(i, i + 500) } },
          select: { id: true, mac: true },
        })),
      );
    }
    const found = new Set(rows.map((r) => r.mac));
    return { ok: true, ids: rows.map((r) => r.id), unknownMacs: list.filter((m) => !found.has(m)), invalid };
  }
  const rows = await prisma.phone.findMany({
    where: { ...(await phoneWhere(actor, selection.filter)), deletedAt: null },
    select: { id: true },
    take: MAX_BULK_PHONES + 1,
  });
  return { ok: true, ids: rows.map((r) => r.id), unknownMacs: [], invalid: [] };
}

/**
 * One operation on a selection, in one transaction: move to a customer (re-registered with its
 * URL), delete (deregistered first), retry (queued again), or re-point to a URL template (admins;
 * rollback on /reconcile/repoint). Every change goes through the queue. null: see resolveSelection.
 */
export async function applyBulkOperation(
  actor: Actor,
  selection: BulkSelection,
  op: BulkOperation,
): Promise<Result<BulkResult> | null> {
  if (op.kind === "repoint" && !hasPermission(actor.role, "org:manage"))
    return fail(PERMISSION_DENIED_MESSAGES["org:manage"]);
  if (op.kind === "delete" && !hasPermission(actor.role, "phones:bulk-delete"))
    return fail(PERMISSION_DENIED_MESSAGES["phones:bulk-delete"]);
  const resolved = await resolveSelection(actor, selection);
  if (resolved === null) return null;
  if (!resolved.ok) return resolved;
  const { ids, unknownMacs, invalid } = resolved;
  if (ids.length > MAX_BULK_PHONES) return fail(`More than ${MAX_BULK_PHONES} phones selected: narrow the filter.`);
  if (ids.length === 0) return fail("No phone of yours is selected.");
  // Read before the change: a delete marks the phones for removal and the worker then drops them.
  const macRows = await prisma.phone.findMany({
    where: { id: { in: ids }, organizationId: actor.organizationId },
    select: { mac: true },
    orderBy: { mac: "asc" },
    take: MAX_AUDIT_MACS,
  });
  const extra = { unknownMacs, invalid, selected: ids.length, auditMacs: macRows.map((r) => r.mac) };
  switch (op.kind) {
    case "move": {
      const count = await runTransaction(async (tx) => {
        const target = await tx.customer.findFirst({
          where: { id: op.customerId, organizationId: actor.organizationId },
          select: { id: true },
        });
        if (!target) return null;
        const { count } = await tx.phone.updateMany({
          where: { id: { in: ids }, organizationId: actor.organizationId, deletedAt: null },
          data: { customerId: target.id, updatedById: actor.id },
        });
        await enqueuePhoneSync(tx, actor.organizationId, ids);
        return count;
      });
      if (count === null) return fail("That customer does not exist.", { customerId: ["Choose a customer."] });
      return { ok: true, count, ...extra };
    }
    case "delete":
      await runTransaction((tx) => markPhonesForRemoval(tx, actor.organizationId, ids));
      return { ok: true, count: ids.length, ...extra };
    case "retry":
      await runTransaction((tx) => enqueuePhoneSync(tx, actor.organizationId, ids));
      return { ok: true, count: ids.length, ...extra };
    case "repoint":
      try {
        const { runId, queued } = await applyRepoint(
          prisma,
          actor.organizationId,
          { phoneIds: ids },
          op.template,
          `user:${actor.id}`,
        );
        return { ok: true, count: queued, runId, ...extra };
      } catch (e) {
        if (e instanceof ReconcileError) return fail(e.message);
        throw e;
      }
  }
}
