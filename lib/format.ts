// Formatting shared by server and client components. Pure: no server-only imports.

const englishPlurals = new Intl.PluralRules("en");

/**
 * `count` with the noun in the right number: `countOf(1, "phone")` → "1 phone", `countOf(3, "phone")`
 * → "3 phones". `other` defaults to the noun + "s". English plural rules (CLDR, via Intl.PluralRules).
 */
export function countOf(count: number, noun: string, other = `${noun}s`): string {
  return `${count.toLocaleString("en")} ${englishPlurals.select(count) === "one" ? noun : other}`;
}

/** A moment as UTC text, minute precision: "2026-11-29 18:53 UTC". For tooltips and server-side fallbacks. */
export function formatUtc(date: Date, withSeconds = false): string {
  return (
    date
      .toISOString()
      .replace("T", " ")
      .slice(0, withSeconds ? 19 : 16) + " UTC"
  );
}

/**
 * A moment relative to `now` in words: "in 40 s", "in 3 min", "now", "12 s ago", "2 h ago".
 * Seconds below 90, minutes below 90, then hours; never negative zero.
 */
export function formatRelative(target: Date, now: Date): string {
  const deltaS = Math.round((target.getTime() - now.getTime()) / 1000);
  if (deltaS === 0) return "now";
  const text = formatSpan(Math.abs(deltaS));
  return deltaS > 0 ? `in ${text}` : `${text} ago`;
}

/** A length of time as the portal says it: "40 s", "2 min", "3 h" (the units formatRelative uses). */
export function formatSpan(seconds: number): string {
  const abs = Math.max(0, Math.round(seconds));
  return abs < 90 ? `${abs} s` : abs < 90 * 60 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
}
