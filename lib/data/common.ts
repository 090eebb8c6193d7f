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
 * Case-insensitive "contains". SQLite's LIKE already ignores ASCII case and rejects `mode`;
 * PostgreSQL needs `mode: "insensitive"`. Keeping it here is the one place to switch.
 */
export function containsText(q: string) {
  return { contains: q };
}

/** Expected failures a form shows next to its fields. */
export type Failure = { ok: false; message: string; fieldErrors?: Record<string, string[]> };
export type Success<T> = { ok: true } & T;
export type Result<T = object> = Success<T> | Failure;

export function fail(message: string, fieldErrors?: Record<string, string[]>): Failure {
  return { ok: false, message, fieldErrors };
}

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}
