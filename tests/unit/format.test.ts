import { describe, expect, it } from "vitest";
import { countOf, formatUtc } from "@/lib/format";

describe("countOf", () => {
  it.each([
    [0, "phone", "0 phones"],
    [1, "phone", "1 phone"],
    [2, "phone", "2 phones"],
    [1000, "phone", "1,000 phones"],
    [1, "attempt", "1 attempt"],
    [12, "attempt", "12 attempts"],
  ])("%i %s -> %s", (n, noun, want) => {
    expect(countOf(n, noun)).toBe(want);
  });
  it("takes an irregular plural", () => {
    expect(countOf(2, "entry", "entries")).toBe("2 entries");
  });
});

describe("formatUtc", () => {
  it("shows UTC to the minute, or the second", () => {
    const d = new Date("2026-11-29T18:53:21.123Z");
    expect(formatUtc(d)).toBe("2026-11-29 18:53 UTC");
    expect(formatUtc(d, true)).toBe("2026-11-29 18:53:21 UTC");
  });
});
