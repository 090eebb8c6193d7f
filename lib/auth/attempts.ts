// No "server-only": integration tests and scripts build limiters over their own Prisma clients.
import type { Db } from "../db-core";

/**
 * Sign-in limits, stored in the database (table SignInFailure) so every server process sees the
 * same counts. Three keys, chosen so that an attacker cannot lock a real user out for long:
 * - e-mail + client address: after PAIR_FREE_FAILURES failures the next attempt waits 1 s, 2 s,
 *   4 s … up to 15 min after the last failure (a success from that address clears the pair);
 * - client address, across every e-mail: at most ADDRESS_MAX_FAILURES failures per 15 min;
 * - e-mail, across every address: beyond ACCOUNT_FREE_FAILURES per 15 min only a short delay
 *   (at most 30 s after the last failure), never a long lockout, so guessing from many addresses
 *   is slowed but the real user still gets in.
 * Applied to every typed e-mail, known or not, so a pause reveals nothing about which accounts exist.
 * Source of the numbers: issue 8, point 8; docs/decisions/0006-sessions-and-audit.md.
 */
export const SIGN_IN_LIMITS = {
  pairFreeFailures: 5,
  pairBaseDelayMs: 1000,
  pairMaxDelayMs: 15 * 60_000,
  /** Pair failures older than this no longer count (and are pruned). */
  pairWindowMs: 24 * 60 * 60_000,
  addressMaxFailures: 50,
  addressWindowMs: 15 * 60_000,
  accountFreeFailures: 20,
  accountWindowMs: 15 * 60_000,
  accountBaseDelayMs: 1000,
  accountMaxDelayMs: 30_000,
} as const;

export type SignInLimits = typeof SIGN_IN_LIMITS;

/** `retryAfterMs`: milliseconds until the next attempt for this e-mail from this address is taken. */
export type SignInCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Addresses and e-mails are bounded before they reach the database. */
const bound = (v: string) => v.slice(0, 200);

function growingDelay(failures: number, free: number, baseMs: number, maxMs: number): number {
  if (failures < free) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - free, 30));
}

/**
 * A limiter over one database. Two limiters (in two processes) over the same file share their counts.
 * `email` is the normalised typed e-mail; `address` the client address (lib/auth/client-address.ts).
 */
export function createSignInLimiter(db: Db, limits: SignInLimits = SIGN_IN_LIMITS, now: () => Date = () => new Date()) {
  return {
    async check(email: string, address: string): Promise<SignInCheck> {
      email = bound(email);
      address = bound(address);
      const t = now().getTime();
      let until = 0;

      const pairSince = new Date(t - limits.pairWindowMs);
      const pair = await db.signInFailure.aggregate({
        where: { email, ipAddress: address, createdAt: { gt: pairSince } },
        _count: { _all: true },
        _max: { createdAt: true },
      });
      const pairDelay = growingDelay(
        pair._count._all,
        limits.pairFreeFailures,
        limits.pairBaseDelayMs,
        limits.pairMaxDelayMs,
      );
      if (pairDelay > 0 && pair._max.createdAt) until = Math.max(until, pair._max.createdAt.getTime() + pairDelay);

      const addressSince = new Date(t - limits.addressWindowMs);
      const addressCount = await db.signInFailure.count({
        where: { ipAddress: address, createdAt: { gt: addressSince } },
      });
      if (addressCount >= limits.addressMaxFailures) {
        // Free again once enough of the window's failures have aged out to fall below the cap.
        const pivot = await db.signInFailure.findFirst({
          where: { ipAddress: address, createdAt: { gt: addressSince } },
          orderBy: { createdAt: "asc" },
          skip: addressCount - limits.addressMaxFailures,
          select: { createdAt: true },
        });
        if (pivot) until = Math.max(until, pivot.createdAt.getTime() + limits.addressWindowMs);
      }

      const accountSince = new Date(t - limits.accountWindowMs);
      const account = await db.signInFailure.aggregate({
        where: { email, createdAt: { gt: accountSince } },
        _count: { _all: true },
        _max: { createdAt: true },
      });
      const accountDelay = growingDelay(
        account._count._all,
        limits.accountFreeFailures,
        limits.accountBaseDelayMs,
        limits.accountMaxDelayMs,
      );
      if (accountDelay > 0 && account._max.createdAt)
        until = Math.max(until, account._max.createdAt.getTime() + accountDelay);

      return until > t ? { allowed: false, retryAfterMs: until - t } : { allowed: true };
    },

    async recordFailure(email: string, address: string): Promise<void> {
      await db.signInFailure.create({ data: { email: bound(email), ipAddress: bound(address), createdAt: now() } });
    },

    /** A successful sign-in clears that e-mail's failures from that address (not from others). */
    async recordSuccess(email: string, address: string): Promise<void> {
      await db.signInFailure.deleteMany({ where: { email: bound(email), ipAddress: bound(address) } });
    },

    /** Drops failures that no longer count for any limit. Returns how many rows went. */
    async prune(): Promise<number> {
      const oldest = new Date(
        now().getTime() - Math.max(limits.pairWindowMs, limits.addressWindowMs, limits.accountWindowMs),
      );
      return (await db.signInFailure.deleteMany({ where: { createdAt: { lt: oldest } } })).count;
    },
  };
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;

/** "Too many attempts. Try again in 2 minutes." — the wait rounded up, in seconds below a minute. */
export function describeRetryAfter(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `Too many attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
