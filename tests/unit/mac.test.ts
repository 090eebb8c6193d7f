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
    // Padding these does not give a snom MAC: a length error, not a guess about spreadsheets.
    ["41312345678", "wrong_length"],
    ["4131234", "wrong_length"],
    ["123456", "wrong_length"],
    [" 8712345678 ", "wrong_length"],
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

describe("parseMac: characters from the real world", () => {
  it.each([
    // Invisible format characters, anywhere (copied from web pages, PDFs, chat, Outlook).
    ["000413A30001\u200B", "zero-width space after"],
    ["\u200B000413A30001", "zero-width space before"],
    ["000413\u200BA30001", "zero-width space inside"],
    ["00:04:13\u200C:A3:00:01", "zero-width non-joiner"],
    ["00:04:13:A3\u200D:00:01", "zero-width joiner"],
    ["000413A30001\u2060", "word joiner"],
    ["000413A30001\u200E", "left-to-right mark (copied from a right-to-left page)"],
    ["\u200F000413A30001", "right-to-left mark"],
    ["\u202A000413A30001\u202C", "LRE … PDF"],
    ["\u202B00:04:13:A3:00:01\u202C", "RLE … PDF"],
    ["\u202D000413A30001\u202C", "LRO … PDF"],
    ["\u202E000413A30001\u202C", "RLO … PDF"],
    ["\u2066000413A30001\u2069", "LRI … PDI"],
    ["\u2067000413A30001\u2069", "RLI … PDI"],
    ["\u2068000413A30001\u2069", "FSI … PDI"],
    ["0004\uFEFF13A30001", "BOM inside"],
    ["000413\u00ADA30001", "soft hyphen"],
    ["000413A3\u00AD0001\u00AD", "soft hyphens"],
    // Dash look-alikes as separators (Word's auto-correct, PDFs, typographic fonts).
    ["00\u201004\u201013\u2010A3\u201000\u201001", "hyphen U+2010"],
    ["00\u201104\u201113\u2011A3\u201100\u201101", "non-breaking hyphen U+2011"],
    ["00\u201204\u201213\u2012A3\u201200\u201201", "figure dash U+2012"],
    ["00\u201304\u201313\u2013A3\u201300\u201301", "en dash U+2013"],
    ["00\u201404\u201413\u2014A3\u201400\u201401", "em dash U+2014"],
    ["00\u201504\u201513\u2015A3\u201500\u201501", "horizontal bar U+2015"],
    ["00\u221204\u221213\u2212A3\u221200\u221201", "minus sign U+2212"],
    ["000413\u2013A30001", "en dash between halves"],
    // Fullwidth digits, letters and colons (CJK input methods): Unicode NFKC.
    ["\uFF10\uFF10\uFF10\uFF14\uFF11\uFF13\uFF21\uFF13\uFF10\uFF10\uFF10\uFF11", "fullwidth digits and letter"],
    ["\uFF10\uFF10\uFF1A\uFF10\uFF14\uFF1A\uFF11\uFF13\uFF1A\uFF41\uFF13\uFF1A\uFF10\uFF10\uFF1A\uFF10\uFF11", "fullwidth with colons"],
    ["00\uFF1A04\uFF1A13\uFF1AA3\uFF1A00\uFF1A01", "fullwidth colons"],
    ["00\u223604\u223613\u2236A3\u223600\u223601", "ratio sign as colon"],
    ["00\uA78904\uA78913\uA789A3\uA78900\uA78901", "modifier letter colon (Windows file names)"],
    // The spreadsheet text-forcing form and typographic quotes.
    ['="000413A30001"', "Excel text formula"],
    ['= "000413A30001" ', "Excel text formula with spaces"],
    ['="00:04:13:a3:00:01"', "Excel text formula, colons"],
    ["\u201C000413A30001\u201D", "curly double quotes"],
    ["\u2018000413A30001\u2019", "curly single quotes"],
    ["\u00AB000413A30001\u00BB", "guillemets"],
    // Several at once, as a scanner into a web form of a right-to-left locale may produce.
    ['\u200F="00\u201104\u201113\u2011A3\u201100\u201101"\u200E', "formula, non-breaking hyphens, bidi marks"],
  ])("%j (%s) → 000413A30001", (input) => {
    expect(parseMac(input)).toEqual({ ok: true, mac: "000413A30001", isSnom: true });
  });

  // The fullwidth case above has only 11 digits on purpose: it must say so in the user's characters.
  it("fullwidth input refused for its length quotes the fullwidth characters", () => {
    const input = "\uFF10\uFF10\uFF14\uFF11\uFF13\uFF21\uFF13\uFF10\uFF10\uFF10\uFF11";
    const result = parseMac(input);
    expect(result).toMatchObject({ ok: false, reason: "wrong_length" });
    expect(!result.ok && result.message).toBe(`“${input}” has 11 hex digits; a MAC has exactly 12.`);
  });

  it("a refused MAC names an invisible character that was ignored, by code point and position", () => {
    const result = parseMac("000413AABBC\u200E");
    expect(result).toMatchObject({ ok: false, reason: "wrong_length" });
    expect(!result.ok && result.message).toBe(
      "“000413AABBC” has 11 hex digits; a MAC has exactly 12 (it also held an invisible character U+200E (left-to-right mark) after the MAC, which was ignored).",
    );
    const before = parseMac("\u200B00041");
    expect(!before.ok && before.message).toMatch(/invisible character U\+200B \(zero-width space\) before the MAC/);
  });

  it.each([
    ["00:04:13:A3:00:01\u001D", "U+001D", "after the MAC"],
    ["\u0007000413A30001", "U+0007", "before the MAC"],
    ["000413\u2800A30001", "U+2800", "after “000413”"],
    ["00:04:13:A3\u3164:00:01", "U+3164", "after “00:04:13:A3”"],
  ])("an invisible character that is not a format character is refused by code point: %j", (input, cp, where) => {
    const result = parseMac(input);
    expect(result).toMatchObject({ ok: false, reason: "invisible_character" });
    expect(!result.ok && result.message).toContain(`invisible character ${cp}`);
    expect(!result.ok && result.message).toContain(where);
    // The quote shows what can be seen, never the invisible character itself.
    expect(!result.ok && result.message).not.toContain(input);
  });

  it.each([
    ["000413\u0410ABBCC", "U+0410", "Cyrillic capital letter A", "the Latin A", "after “000413”"],
    ["000413A\u0412BBCC", "U+0412", "Cyrillic capital letter VE", "the Latin B", "after “000413A”"],
    ["\u041E00413AABBCC", "U+041E", "Cyrillic capital letter O", "the digit 0", "before the MAC"],
    ["00:04:13:\u0391A:BB:CC", "U+0391", "Greek capital letter alpha", "the Latin A", "after “00:04:13:”"],
    ["0004\u00B713ab\u00B7cdef", "U+00B7", "middle dot", "a full stop", "after “0004”"],
  ])("a look-alike letter is refused by name and code point: %j", (input, cp, name, looksLike, where) => {
    const result = parseMac(input);
    expect(result).toMatchObject({ ok: false, reason: "look_alike" });
    expect(!result.ok && result.message).toContain(`(${cp}, ${name}), which looks like ${looksLike}, ${where}`);
    expect(!result.ok && result.message.startsWith(`“${input}”`)).toBe(true);
  });

  it("quotes what the user typed, not an upper-cased copy, and names the character as typed", () => {
    const result = parseMac("00:04:13:aa:bb:zz");
    expect(!result.ok && result.message).toBe("“00:04:13:aa:bb:zz” contains “z”: a MAC has only the digits 0–9 and the letters A–F.");
    const multicast = parseMac("01:00:5e:00:00:fb");
    expect(!multicast.ok && multicast.message).toContain("“01:00:5e:00:00:fb”");
    const broadcast = parseMac("ff-ff-ff-ff-ff-ff");
    expect(!broadcast.ok && broadcast.message).toContain("“ff-ff-ff-ff-ff-ff”");
  });

  it("says which letter was typed for a digit", () => {
    const result = parseMac("00O413AABBCC");
    expect(!result.ok && result.message).toContain("“O” (the letter O, not the digit 0)");
  });

  it("names a replacement character from a broken encoding by code point", () => {
    const result = parseMac("000413A3000\uFFFD");
    expect(result).toMatchObject({ ok: false, reason: "non_hex" });
    expect(!result.ok && result.message).toContain("U+FFFD, replacement character");
  });
});

describe("parseMac: spreadsheet damage", () => {
  it.each<[string, MacRejection]>([
    ["4135000000", "spreadsheet_number"],
    ["4135000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "spreadsheet_number"],
    ["413000000001.00", "spreadsheet_number"],
    ["413000000001,00", "spreadsheet_number"],
    ["4130000000000000", "spreadsheet_number"],
    ["413123456.00", "lost_leading_zeros"],
    ["413,123,456", "lost_leading_zeros"],
    // Typos: a length error, not spreadsheet damage (13 digits already were).
    ["00041312345", "wrong_length"],
    ["41312345678", "wrong_length"],
    ["1234567891", "wrong_length"],
  ])("%j → %s", (input, reason) => {
    expect(parseMac(input)).toMatchObject({ ok: false, reason });
  });

  it.each(["413000000001.00", "413000000001,00", "4130000000000000"])("%j explains the spreadsheet fix", (input) => {
    const result = parseMac(input);
    expect(!result.ok && result.message).toMatch(/format the column as text in the spreadsheet and export again/);
  });

  it("suggests zero-padding only when it gives a snom MAC", () => {
    const snom = parseMac("413123456");
    expect(!snom.ok && snom.message).toContain("000413123456 (a snom MAC)");
    for (const input of ["4131234567", "41312345678", "4135000000"]) {
      const r = parseMac(input);
      expect(!r.ok && r.message).not.toMatch(/leading zeros|0{2,}4131/);
    }
  });

  it("an 11- or 13-digit typo gets the length message", () => {
    expect(parseMac("00041312345")).toEqual({
      ok: false,
      reason: "wrong_length",
      message: "“00041312345” has 11 hex digits; a MAC has exactly 12.",
    });
    expect(parseMac("0004131234567")).toMatchObject({ message: "“0004131234567” has 13 hex digits; a MAC has exactly 12." });
  });
});

describe("macSearchFragment tolerates the same characters", () => {
  it.each([
    ["\u200Baa\u2010bb", "AABB"],
    ["\uFF10\uFF10\uFF1A\uFF10\uFF14", "0004"],
  ])("%j → %j", (input, fragment) => {
    expect(macSearchFragment(input)).toBe(fragment);
  });
});
