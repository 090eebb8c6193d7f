import "server-only";
import { prisma } from "../db";
import { withTransactionRetry } from "./retry";

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/**
 * `prisma.$transaction(fn)` for the data functions behind the server actions, run again (bounded,
 * with jitter: lib/data/retry.ts) when it loses a race to another writer: a deadlock or
 * serialization failure on PostgreSQL, a stale snapshot or lock timeout on SQLite (the worker is
 * another process). After the last try the error is ConcurrentChangeError, which the action wrapper
 * answers with its message instead of a 500. A unique violation is not retried here: where it is
 * the answer ("this MAC already exists") the caller catches it; a "check, then create" that should
 * run again passes `retryUnique: true`. `fn` must only write through `tx`.
 */
export function runTransaction<T>(fn: (tx: Tx) => Promise<T>, opts: { retryUnique?: boolean } = {}): Promise<T> {
  return withTransactionRetry(() => prisma.$transaction(fn), { retryUnique: opts.retryUnique ?? false });
}
