import "server-only";
import type { SessionUser } from "../auth/guards";

/** Who acts: every read and write is scoped by this organization. */
export type Actor = Pick<SessionUser, "id" | "organizationId" | "role">;

export const PAGE_SIZE = 25;

export function pageOf(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/**
 * Prisma `where` alternatives: one of the key `columns` contains one of the query's spellings
 * (`querySpellings` in lib/search-key.ts: folded, so case- and accent-insensitive, and free of LIKE
 * wildcards, so `%`, `_` and `\\` typed by the user are literal). Put them in an `OR`. Plain
 * `contains` on lower-case keys is the same LIKE on SQLite and PostgreSQL (docs/decisions/0012-search.md).
 */
export function keyContains<C extends string>(columns: readonly C[], spellings: readonly string[]): OneOf<C, { contains: string }>[] {
  return columns.flatMap((c) => spellings.map((s) => ({ [c]: { contains: s } }) as OneOf<C, { contains: string }>));
}

/** An object with exactly one of the keys `C`. */
type OneOf<C extends string, V> = { [K in C]: { [P in K]: V } }[C];

/** Expected failures a form shows next to its fields. */
export type Failure = { ok: false; message: string; fieldErrors?: Record<string, string[]> };
export type Success<T> = { ok: true } & T;
export type Result<T = object> = Success<T> | Failure;

export function fail(message: string, fieldErrors?: Record<string, string[]>): Failure {
  return { ok: false, message, fieldErrors };
}

export { isUniqueViolation } from "./retry";
