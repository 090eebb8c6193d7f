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
  return date.toISOString().replace("T", " ").slice(0, withSeconds ? 19 : 16) + " UTC";
}
