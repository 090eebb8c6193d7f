import "server-only";
import { z } from "zod";
import { prisma } from "../db";
import { AUDIT_ACTIONS, type AuditAction } from "../audit/events";
import { macSearchFragment } from "../mac";
import { querySpellings } from "../search-key";
import { keyContains, PAGE_SIZE, pageOf, type Actor } from "./common";

/** The /audit page's filters, as they travel in the URL (and to the CSV export). */
export type AuditFilter = {
  action?: AuditAction;
  /** Acting user's id. */
  user?: string;
  /** YYYY-MM-DD, UTC, inclusive. */
  from?: string;
  /** YYYY-MM-DD, UTC, inclusive (the whole day). */
  to?: string;
  /** Text searched in the summary and the actor's e-mail, ignoring case and accents (`%`, `_` literal). */
  q?: string;
  page?: number;
};

const DateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-29.")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "This date does not exist.",
  );

const AuditFilterSchema = z.object({
  action: z
    .enum(Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]], { message: "Choose an action from the list." })
    .optional(),
  user: z.string().max(64, "Choose a user from the list.").optional(),
  from: DateParam.optional(),
  to: DateParam.optional(),
  q: z.string().max(200, "Search for at most 200 characters.").optional(),
});

/**
 * Reads the filters from URL parameters. Empty values mean "no filter"; invalid ones are left out
 * and explained in `errors` (per parameter), so a bad link never fails the page.
 */
export function parseAuditFilter(params: Record<string, string | string[] | undefined>): {
  filter: AuditFilter;
  errors: Record<string, string>;
} {
  const filter: AuditFilter = {};
  const errors: Record<string, string> = {};
  for (const key of ["action", "user", "from", "to", "q"] as const) {
    const raw = params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    const one = AuditFilterSchema.shape[key].safeParse(value);
    if (one.success) Object.assign(filter, { [key]: one.data });
    else errors[key] = one.error.issues[0]?.message ?? "Not valid.";
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.to = "The end date is before the start date.";
    delete filter.to;
  }
  const page = Array.isArray(params.page) ? params.page[0] : params.page;
  filter.page = pageOf(page);
  return { filter, errors };
}

function auditWhere(actor: Actor, f: AuditFilter) {
  const spellings = f.q ? querySpellings(f.q) : [];
  // Summaries hold MACs as 000413A1C0DE: "00:04:13:a1:c0:de" or "0004.13a1" find them too.
  const mac = f.q ? macSearchFragment(f.q)?.toLowerCase() : undefined;
  if (mac && mac.length >= 4 && !spellings.includes(mac)) spellings.push(mac);
  return {
    // Always the actor's organization: events without one (unknown e-mails) are visible to no tenant.
    organizationId: actor.organizationId,
    ...(f.action ? { action: f.action } : {}),
    ...(f.user ? { actorUserId: f.user } : {}),
    ...(f.from || f.to
      ? {
          createdAt: {
            ...(f.from ? { gte: new Date(`${f.from}T00:00:00.000Z`) } : {}),
            ...(f.to ? { lt: new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 24 * 60 * 60_000) } : {}),
          },
        }
      : {}),
    // The key holds the folded summary and e-mail (lib/search-key.ts).
    ...(spellings.length ? { OR: keyContains(["searchKey"], spellings) } : {}),
  };
}

const auditSelect = {
  id: true,
  createdAt: true,
  actorUserId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  summary: true,
  ipAddress: true,
} as const;

/**
 * One page of the organization's audit events, newest first. `targetGone`: the row is about a phone
 * that no longer exists or is being removed (the page does not link it).
 */
export async function listAuditEvents(actor: Actor, filter: AuditFilter) {
  const where = auditWhere(actor, filter);
  const total = await prisma.auditEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pageCount);
  const items = await prisma.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: auditSelect,
  });
  const phoneIds = [...new Set(items.flatMap((e) => (e.targetType === "phone" && e.targetId ? [e.targetId] : [])))];
  const live = phoneIds.length
    ? await prisma.phone.findMany({
        where: { id: { in: phoneIds }, organizationId: actor.organizationId, deletedAt: null },
        select: { id: true },
      })
    : [];
  const liveIds = new Set(live.map((p) => p.id));
  return {
    items: items.map((e) => ({ ...e, targetGone: e.targetType === "phone" && !!e.targetId && !liveIds.has(e.targetId) })),
    total,
    page,
    pageCount,
  };
}

/** Every matching event, newest first, 500 rows per query (the CSV export streams these). */
export async function* iterateAuditEvents(actor: Actor, filter: AuditFilter) {
  const where = auditWhere(actor, filter);
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 500,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: auditSelect,
    });
    yield* rows;
    if (rows.length < 500) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** Users of the organization, for the "user" filter. */
export async function listAuditUsers(actor: Actor) {
  return prisma.user.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { email: "asc" },
    select: { id: true, email: true },
  });
}
