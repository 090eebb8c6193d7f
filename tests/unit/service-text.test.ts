import { describe, expect, it } from "vitest";
import { cleanServiceText, groupDigits } from "@/lib/redirection/service-text";

describe("cleanServiceText", () => {
  it("removes C0, C1 and bidi controls, folding line breaks into spaces", () => {
    expect(cleanServiceText("Error:\u0007 bad\r\nthing\u001b[31m red\u0085\u009b x")).toBe(
      "Error: bad thing [31m red x",
    );
    expect(cleanServiceText("abc\u202edcb\u202c \u2066iso\u2069 \u200f")).toBe("abc dcb iso");
  });

  it("cuts to the cap with an ellipsis, never splitting a surrogate pair", () => {
    expect(cleanServiceText("x".repeat(5_000_000), 500)).toHaveLength(500);
    expect(cleanServiceText("x".repeat(5_000_000), 500).endsWith("…")).toBe(true);
    const emoji = "a" + "😀".repeat(10);
    const cut = cleanServiceText(emoji, 4);
    expect(cut).toBe("a😀…");
    expect(cut.isWellFormed()).toBe(true);
  });

  it("keeps short clean text as it is, replaces lone surrogates, and turns non-strings into ''", () => {
    expect(cleanServiceText("Other Reseller GmbH")).toBe("Other Reseller GmbH");
    expect(cleanServiceText("a\ud800b")).toBe("a\ufffdb");
    expect(cleanServiceText(undefined)).toBe("");
    expect(cleanServiceText(42)).toBe("");
  });

  it("a long text of control characters still ends within the cap", () => {
    const out = cleanServiceText("\u0000".repeat(10_000) + "y".repeat(10_000), 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toBe("…");
  });
});

describe("groupDigits", () => {
  it("groups thousands with a space", () => {
    expect(groupDigits(5321)).toBe("5 321");
    expect(groupDigits(65536)).toBe("65 536");
    expect(groupDigits(12)).toBe("12");
  });
});
