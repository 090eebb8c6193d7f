// Slows down password guessing: after MAX_FAILURES failed sign-ins for one e-mail within the window,
// further attempts for it are refused until the window has passed. Applied to every e-mail typed,
// known or not, so it reveals nothing about which accounts exist. In memory, per server process.
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;

type Entry = { failures: number; firstAt: number };

export function createAttemptLimiter(max = MAX_FAILURES, windowMs = WINDOW_MS, now: () => number = Date.now) {
  const entries = new Map<string, Entry>();
  const current = (key: string) => {
    const e = entries.get(key);
    if (e && now() - e.firstAt > windowMs) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    isBlocked(key: string): boolean {
      return (current(key)?.failures ?? 0) >= max;
    },
    recordFailure(key: string): void {
      const e = current(key);
      if (e) e.failures++;
      else entries.set(key, { failures: 1, firstAt: now() });
      if (entries.size > 10_000) {
        // Bounded memory: forget the oldest entries.
        for (const k of [...entries.keys()].slice(0, 1000)) entries.delete(k);
      }
    },
    recordSuccess(key: string): void {
      entries.delete(key);
    },
  };
}

export const signInLimiter = createAttemptLimiter();
