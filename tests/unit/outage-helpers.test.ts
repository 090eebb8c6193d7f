// Small pieces of issue 10: relative times on the badges, Retry-After, the simulator's --capacity.
import { describe, expect, it } from "vitest";
import { formatRelative } from "@/lib/format";
import { parseRetryAfter } from "@/lib/redirection/client";
import { parseSimulatorArgs } from "@/lib/redirection/simulator-cli";

const NOW = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));
const at = (s: number) => new Date(NOW.getTime() + s * 1000);

describe("formatRelative", () => {
  it.each([
    [40, "in 40 s"],
    [0.2, "now"],
    [-12, "12 s ago"],
    [89, "in 89 s"],
    [180, "in 3 min"],
    [-7200, "2 h ago"],
  ])("%f s -> %s", (s, want) => {
    expect(formatRelative(at(s), NOW)).toBe(want);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, caps at an hour, ignores garbage", () => {
    expect(parseRetryAfter("30", NOW.getTime())).toBe(30_000);
    expect(parseRetryAfter(at(90).toUTCString(), NOW.getTime())).toBe(90_000);
    expect(parseRetryAfter(at(-90).toUTCString(), NOW.getTime())).toBe(0);
    expect(parseRetryAfter("999999", NOW.getTime())).toBe(3_600_000);
    expect(parseRetryAfter("soon", NOW.getTime())).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("1".repeat(100))).toBeUndefined();
  });
});

describe("simulator --capacity", () => {
  it("takes a whole number >= 1 and says so otherwise", () => {
    const ok = parseSimulatorArgs(["--capacity", "16"]);
    expect(ok.ok && ok.options.capacity).toBe(16);
    const unset = parseSimulatorArgs([]);
    expect(unset.ok && unset.options.capacity).toBeUndefined();
    const bad = parseSimulatorArgs(["--capacity", "0"]);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/--capacity/);
  });
});
