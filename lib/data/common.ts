import "server-only";
import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { SessionUser } from "../auth/guards";

/** Who acts: every read and write is scoped by this organization. */
export type Actor = Pick<SessionUser, "id" | "organizationId" | "role">;

export const PAGE_SIZE = 25;

export function pageOf(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/**
 * Case-insensitive "contains". SQLite's LIKE already ignores ASCII case and rejects `mode`;
 * PostgreSQL needs `mode: "insensitive"`. Keeping it here is the one place to switch.
 */
export function containsText(q: string) {
  return { contains: q };
}

/** Whether `q` holds a character LIKE treats specially (`%`, `_`) or our escape character. */
export function hasLikeWildcard(q: string): boolean {
  return /[%_\\]/.test(q);
}

/** Most ids a literal-wildcard search returns (it feeds an `IN` list; SQLite allows 32 766 variables). */
export const LIKE_IDS_LIMIT = 5000;

const LIKE_COLUMNS = {
  Phone: ["label", "serial"],
  Customer: ["name", "number", "contactName", "contactEmail"],
} as const;

/**
 * Ids of the organization's rows where one of `columns` contains `q` literally, for queries whose
 * text holds `%` or `_` (Prisma's `contains` passes them to LIKE as wildcards). Standard SQL
 * (`LIKE … ESCAPE`, the same on PostgreSQL with ILIKE for its case rules); table and column names
 * come from the fixed list above, never from input. At most LIKE_IDS_LIMIT ids.
 */
export async function likeIds<T extends keyof typeof LIKE_COLUMNS>(
  table: T,
  columns: readonly (typeof LIKE_COLUMNS)[T][number][],
  organizationId: string,
  q: string,
): Promise<string[]> {
  const allowed: readonly string[] = LIKE_COLUMNS[table];
  const cols = columns.filter((c) => allowed.includes(c));
  if (cols.length === 0) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // Prisma.sql picks the placeholder style of the database (? or $n); identifiers are our constants.
  const matches = Prisma.join(
    cols.map((c) => Prisma.sql`${Prisma.raw(`"${c}"`)} LIKE ${pattern} ESCAPE '\\'`),
    " OR ",
  );
  const rows = await prisma.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT "id" FROM ${Prisma.raw(`"${table}"`)} WHERE "organizationId" = ${organizationId} AND (${matches}) LIMIT ${LIKE_IDS_LIMIT}`,
  );
  return rows.map((r) => r.id);
}

/** Expected failures a form shows next to its fields. */
export type Failure = { ok: false; message: string; fieldErrors?: Record<string, string[]> };
export type Success<T> = { ok: true } & T;
export type Result<T = object> = Success<T> | Failure;

export function fail(message: string, fieldErrors?: Record<string, string[]>): Failure {
  return { ok: false, message, fieldErrors };
}

export { isUniqueViolation } from "./retry";
