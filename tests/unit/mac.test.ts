import { describe, expect, it } from "vitest";
import { formatMac, isSnomMac, macSearchFragment, parseMac, SNOM_PREFIXES, type MacRejection } from "@/lib/mac";

describe("parseMac accepts every common notation", () => {
  it.each([
    ["000413AABBCC", "000413AABBCC"],
    ["000413aabbcc", "000413AABBCC"],
    ["000413AaBbCc", "000413AABBCC"],
    ["00:04:13:AA:BB:CC", "000413AABBCC"],
    ["00:04:13:aa:bb:cc", "000413AABBCC"],
    ["00-04-13-AA-BB-CC", "000413AABBCC"],
    ["00-04-13-ab-cd-ef", "000413ABCDEF"],
    ["0004.13ab.cdef", "000413ABCDEF"],
    ["0004.13AB.CDEF", "000413ABCDEF"],
    ["00 04 13 AA BB CC", "000413AABBCC"],
    ["000413-AABBCC", "000413AABBCC"],
    ["000413 AABBCC", "000413AABBCC"],
    ["000413:AABBCC", "000413AABBCC"],
    ["00_04_13_AA_BB_CC", "000413AABBCC"],
    ["000-413-AAB-BCC", "000413AABBCC"],
    ["00:04:13-AA-BB-CC", "000413AABBCC"],
    ["  000413AABBCC  ", "000413AABBCC"],
    ["\t00:04:13:AA:BB:CC\n", "000413AABBCC"],
    ['"000413AABBCC"', "000413AABBCC"],
    ["'00:04:13:AA:BB:CC'", "000413AABBCC"],
    ['  "0004.13ab.cdef"  ', "000413ABCDEF"],
    ["\u00a0000413AABBCC\u00a0", "000413AABBCC"],
    ["00087B123456", "00087B123456"],
    ["00:08:7b:12:34:56", "00087B123456"],
    ["000413123456", "000413123456"],
    // Twelve hex digits that read like scientific notation are still a MAC.
    ["00041350E123", "00041350E123"],
    ["1234567E1234", "1234567E1234"],
    ["3C:5A:B4:01:02:03", "3C5AB4010203"],
    ["FEFFFFFFFFFF", "FEFFFFFFFFFF"],
    ["020000000001", "020000000001"],
  ])("%j → %s", (input, mac) => {
    const result = parseMac(input);
    expect(result).toMatchObject({ ok: true, mac });
  });
});

describe("parseMac flags snom prefixes", () => {
  it.each([
    ["000413AABBCC", true],
    ["00:04:13:00:00:01", true],
    ["00087B000001", true],
    ["00-08-7b-ff-ff-fe", true],
    ["3C5AB4010203", false],
    ["00155D010203", false],
    ["000414AABBCC", false],
    ["00087C000001", false],
  ])("%s → isSnom %s (still ok)", (input, isSnom) => {
    const result = parseMac(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.isSnom).toBe(isSnom);
  });
});

describe("parseMac rejects with a reason", () => {
  it.each<[string, MacRejection]>([
    ["", "empty"],
    ["   ", "empty"],
    ['""', "empty"],
    ["\t\n", "empty"],
    ["000413AABB", "wrong_length"],
    ["000413AABBCCDD", "wrong_length"],
    ["00:04:13:AA:BB", "wrong_length"],
    ["00:04:13:AA:BB:CC:DD", "wrong_length"],
    ["ABC", "wrong_length"],
    ["00:04:13:12", "wrong_length"],
    ["0004:13AABB:CC", "wrong_length"],
    ["0:0:0:4:1:3:A:A:B:B:C:C", "wrong_length"],
    ["00041:3AABBCC", "wrong_length"],
    ["1234567890123", "wrong_length"],
    ["000413AABBCG", "non_hex"],
    ["00:04:13:AA:BB:ZZ", "non_hex"],
    ["0004-13ab-cdeg", "non_hex"],
    ["phone 1", "non_hex"],
    ["00,04,13,AA,BB,CC", "non_hex"],
    ["000413AABBCC;", "non_hex"],
    ["4.135E+127", "scientific_notation"],
    ["4,135E+127", "scientific_notation"],
    ["1.23E+11", "scientific_notation"],
    ["1.23e+11", "scientific_notation"],
    ["4E+11", "scientific_notation"],
    ["8.7123E-5", "scientific_notation"],
    ['"4.135E+127"', "scientific_notation"],
    ["413123456", "lost_leading_zeros"],
    ["41312345678", "lost_leading_zeros"],
    ["4131234", "lost_leading_zeros"],
    ["123456", "lost_leading_zeros"],
    [" 8712345678 ", "lost_leading_zeros"],
    ["000000000000", "all_zero"],
    ["00:00:00:00:00:00", "all_zero"],
    ["0000.0000.0000", "all_zero"],
    ["FFFFFFFFFFFF", "broadcast"],
    ["ff:ff:ff:ff:ff:ff", "broadcast"],
    ["01:00:5E:00:00:FB", "multicast"],
    ["33:33:00:00:00:01", "multicast"],
    ["010004AABBCC", "multicast"],
    ["0180C2000000", "multicast"],
    ["FF0413AABBCC", "multicast"],
  ])("%j → %s", (input, reason) => {
    const result = parseMac(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it.each(["4.135E+127", "4,135E+127", "413123456"])("spreadsheet damage %j explains the fix", (input) => {
    const result = parseMac(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/format the column as text/);
  });

  it("suggests the padded value when leading zeros were lost", () => {
    const result = parseMac("413123456");
    expect(!result.ok && result.message).toContain("000413123456");
  });

  it("names the offending character", () => {
    const result = parseMac("000413AABBCG");
    expect(!result.ok && result.message).toContain("“G”");
  });
});

describe("isSnomMac", () => {
  it.each([
    ["000413AABBCC", true],
    ["000413aabbcc", true],
    ["00087B000001", true],
    ["00087b000001", true],
    ["3C5AB4010203", false],
    ["", false],
  ])("%j → %s", (mac, expected) => {
    expect(isSnomMac(mac)).toBe(expected);
  });

  it("knows snom's two prefixes", () => {
    expect([...SNOM_PREFIXES]).toEqual(["000413", "00087B"]);
  });
});

describe("formatMac", () => {
  it.each([
    ["000413AABBCC", "00:04:13:AA:BB:CC"],
    ["00087B123456", "00:08:7B:12:34:56"],
    ["", ""],
  ])("%j → %j", (mac, formatted) => {
    expect(formatMac(mac)).toBe(formatted);
  });

  it("round-trips through parseMac", () => {
    const result = parseMac(formatMac("000413ABCDEF"));
    expect(result).toMatchObject({ ok: true, mac: "000413ABCDEF" });
  });
});

describe("macSearchFragment", () => {
  it.each([
    ["aa:bb", "AABB"],
    ["00-04-13", "000413"],
    ["0004.13ab", "000413AB"],
    ["  cc  ", "CC"],
    ["00 04 13 aa", "000413AA"],
    ["000413AABBCC", "000413AABBCC"],
    ["", null],
    ["   ", null],
    [":-.", null],
    ["xyz", null],
    ["aa:gg", null],
    ["Müller", null],
  ])("%j → %j", (input, fragment) => {
    expect(macSearchFragment(input)).toBe(fragment);
  });
});
