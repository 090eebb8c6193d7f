// Conflicts between concurrent writers (docs/decisions/0015-concurrency.md). SQLite's single writer
// hides most of them; on PostgreSQL two app instances meet as two connections. No "server-only":
// the import, the CLI (org:create) and the worker scripts use it too.

/**
 * What a database error means for the caller:
 * - `unique`: a unique constraint refused the write (Prisma P2002; raw statements report P2010 with
 *   the driver's UniqueConstraintViolation: PostgreSQL 23505, SQLITE_CONSTRAINT_UNIQUE);
 * - `conflict`: the transaction lost a race and may simply run again: serialization failure
 *   (P2034, PostgreSQL 40001), deadlock (PostgreSQL 40P01), SQLite's stale snapshot
 *   (SQLITE_BUSY_SNAPSHOT: another connection wrote since this transaction read) or lock timeout
 *   (SQLITE_BUSY, "database is locked");
 * - `null`: anything else (a bug, the database down): not ours to hide.
 * Codes are looked for on the error, on Prisma's `meta.driverAdapterError.cause` and on `cause`
 * (adapter-pg reports a deadlock as a bare DriverAdapterError).
 */
export function classifyDbError(error: unknown): "unique" | "conflict" | null {
  const codes = new Set<string>();
  const kinds = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number) => {
    if (typeof e !== "object" || e === null || depth > 4 || seen.has(e)) return;
    seen.add(e);
    const o = e as Record<string, unknown>;
    for (const key of ["code", "originalCode"]) if (typeof o[key] === "string") codes.add(o[key] as string);
    if (typeof o.kind === "string") kinds.add(o.kind);
    const meta = o.meta as Record<string, unknown> | undefined;
    walk(meta?.driverAdapterError, depth + 1);
    walk(o.cause, depth + 1);
  };
  walk(error, 0);
  if (
    codes.has("P2002") ||
    codes.has("23505") ||
    codes.has("SQLITE_CONSTRAINT_UNIQUE") ||
    kinds.has("UniqueConstraintViolation")
  ) {
    return "unique";
  }
  const conflictCodes = ["P2034", "40001", "40P01", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"];
  if (conflictCodes.some((c) => codes.has(c)) || kinds.has("TransactionWriteConflict")) return "conflict";
  return null;
}

/** A unique constraint refused the write (see classifyDbError). */
export function isUniqueViolation(error: unknown): boolean {
  return classifyDbError(error) === "unique";
}

/** The transaction kept losing races; the caller answers with ConcurrentChangeError.message. */
export class ConcurrentChangeError extends Error {
  constructor(cause: unknown) {
    super("Someone else changed the same data at the same moment; nothing was saved. Please try again.", { cause });
    this.name = "ConcurrentChangeError";
  }
}

export type RetryOptions = {
  /** Runs of `fn` in all (default 6). */
  attempts?: number;
  /** Upper bound of the first wait in ms; doubles per retry, full jitter (default 20). */
  baseDelayMs?: number;
  /**
   * Also run again after a unique violation (default true): right for "check, then create", whose
   * re-run finds the row the other writer made and answers with its own clear message. Pass false
   * where a unique violation is the answer itself.
   */
  retryUnique?: boolean;
};

/**
 * Runs `fn` (which opens its own transaction) and runs it again, after a random wait, when it lost a race to a concurrent
 * writer (classifyDbError). Bounded: after `attempts` runs it throws ConcurrentChangeError, a clear
 * message for the user instead of a 500. Any other error is thrown unchanged at once.
 * `fn` must be safe to run again: everything it wrote was rolled back with its transaction.
 */
export async function withTransactionRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 6);
  const base = opts.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const kind = classifyDbError(error);
      const retryable = kind === "conflict" || (kind === "unique" && opts.retryUnique !== false);
      if (!retryable) throw error;
      if (attempt >= attempts) throw new ConcurrentChangeError(error);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * base * 2 ** (attempt - 1)));
    }
  }
}
