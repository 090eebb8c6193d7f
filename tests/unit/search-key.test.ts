import { describe, expect, it } from "vitest";
import {
  customerKeys,
  foldSearchText,
  KEY_SEPARATOR,
  MAX_FOLDED_CHARS,
  MAX_QUERY_CHARS,
  numberKey,
  phoneKeys,
  querySpellings,
  searchKey,
  searchSpellings,
} from "@/lib/search-key";

describe("foldSearchText", () => {
  it.each([
    ["Müller", "muller"],
    ["MÜLLER", "muller"],
    ["muller", "muller"],
    ["Mu\u0308ller", "muller"], // ü as u + combining diaeresis
    ["Ærø", "aero"],
    ["Œuvre", "oeuvre"],
    ["Straße", "strasse"],
    ["STRAẞE", "strasse"], // capital sharp s
    ["Łódź", "lodz"],
    ["Đorđe", "dorde"],
    ["Þór", "thor"],
    ["İstanbul", "istanbul"], // Turkish dotted capital I
    ["ıspanak", "ispanak"], // Turkish dotless small i
    ["ＭＵＬＬＥＲ　Ｔｅｌｅｋｏｍ", "muller telekom"], // fullwidth letters and ideographic space
    ["ﬁle", "file"], // ligature
    ["Café", "cafe"],
    ["Cafe\u0301", "cafe"],
    ["ΟΔΟΣ", "οδοσ"], // final sigma as σ
    ["  Hotel \t\n Seeblick\u00A0 ", "hotel seeblick"],
    ["Mül\u200Bler\u00AD", "muller"], // zero-width space, soft hyphen
    ["a\u0000b\u001Fc", "a b c"], // control characters are blanks
  ])("%j → %j", (text, folded) => {
    expect(foldSearchText(text)).toBe(folded);
  });

  it("keeps emoji, including skin tones and joined sequences (variation selectors go)", () => {
    expect(foldSearchText("Team 👩‍💻👍🏽")).toBe("team 👩‍💻👍🏽");
    expect(foldSearchText("I ❤️ SIP")).toBe(foldSearchText("i ❤ sip"));
  });

  it("turns LIKE's %, _ and \\ into noncharacters, and drops noncharacters from input", () => {
    expect(foldSearchText("100% A_B \\x")).toBe("100\uFDD0 a\uFDD1b \uFDD2x");
    expect(foldSearchText("\uFDD0%")).toBe("\uFDD0");
    expect(foldSearchText("50%")).not.toMatch(/[%_\\]/);
  });

  it("never holds the key separator", () => {
    expect(foldSearchText(`a${KEY_SEPARATOR}b`)).toBe("a b");
  });

  it("is bounded: at most MAX_FOLDED_CHARS code points, never half a surrogate pair", () => {
    expect(Array.from(foldSearchText("ß".repeat(1000)))).toHaveLength(MAX_FOLDED_CHARS);
    // U+FDFA decomposes into 18 characters.
    expect(Array.from(foldSearchText("\uFDFA".repeat(100))).length).toBeLessThanOrEqual(MAX_FOLDED_CHARS);
    const emoji = Array.from(foldSearchText("😀".repeat(1000)));
    expect(emoji).toHaveLength(MAX_FOLDED_CHARS);
    expect(emoji.every((c) => c === "😀")).toBe(true);
    expect(foldSearchText("")).toBe("");
  });
});

describe("spellings and keys", () => {
  it("adds the German spelling of ä, ö, ü", () => {
    expect(searchSpellings("Müller")).toEqual(["muller", "mueller"]);
    expect(searchSpellings("Mu\u0308ller")).toEqual(["muller", "mueller"]);
    expect(searchSpellings("MÄRZ")).toEqual(["marz", "maerz"]);
    expect(searchSpellings("Mueller")).toEqual(["mueller"]);
    expect(searchSpellings("Straße")).toEqual(["strasse"]);
    expect(searchSpellings(" \u200B ")).toEqual([]);
  });

  it("joins the spellings of each text with the separator; empty texts give an empty key", () => {
    expect(searchKey("Müller Telekom")).toBe(`muller telekom${KEY_SEPARATOR}mueller telekom`);
    expect(searchKey("Desk", null, "SN-1")).toBe(`desk${KEY_SEPARATOR}sn-1`);
    expect(searchKey(null, undefined, "")).toBe("");
    expect(phoneKeys({})).toEqual({ searchKey: "" });
  });

  it("a customer number's key is its folding only", () => {
    expect(numberKey(" K-100 ")).toBe("k-100");
    expect(customerKeys({ name: "Jürgen", number: "K-100", contactEmail: "JW@Example.test" })).toEqual({
      nameKey: `jurgen${KEY_SEPARATOR}juergen`,
      numberKey: "k-100",
      contactKey: "jw@example.test",
    });
  });

  it("a query is cut to MAX_QUERY_CHARS before folding", () => {
    expect(querySpellings("x".repeat(5000))).toEqual(["x".repeat(MAX_QUERY_CHARS)]);
    expect(querySpellings("MÜLLER")).toEqual(["muller", "mueller"]);
  });
});
