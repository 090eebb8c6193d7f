// The CSV the phones export writes: what a spreadsheet makes of it must be what we stored.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  CSV_BOM,
  csvField,
  csvLine,
  EXPORT_HEADER,
  exportFileName,
  phoneCsvLine,
  type ExportPhone,
} from "@/lib/import/csv-export";
import { parsePaste } from "@/lib/import/paste";
import { parseMac } from "@/lib/mac";

const phone = (over: Partial<ExportPhone> = {}): ExportPhone => ({
  mac: "00041350E123",
  label: "Empfang",
  model: "D785",
  serial: null,
  syncStatus: "synced",
  syncedAt: new Date("2026-11-26T10:00:00.000Z"),
  lastErrorCode: null,
  lastErrorText: null,
  customer: { name: "Bäckerei Müller", number: "K-1001" },
  ...over,
});

describe("CSV export builder", () => {
  it("neutralises formula triggers with a leading apostrophe", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) {
      const field = csvField(evil);
      const [[cell]] = parse(field + "\r\n", { relax_quotes: true }) as string[][];
      expect(cell.startsWith("'")).toBe(true);
      expect(cell.slice(1)).toBe(evil);
    }
    expect(csvField("Reception = desk")).toBe("Reception = desk");
  });

  it("neutralises a trigger after a separator inside a field (a spreadsheet splitting on ; ignores the quotes)", () => {
    const field = csvField("a;=cmd|' /C calc'!A0;b, +1");
    for (const cell of field.replace(/^"|"$/g, "").split(/[;,]/).slice(1)) {
      expect(cell.trimStart()).not.toMatch(/^[=+\-@]/);
    }
    expect(field).toContain(";'=cmd");
  });

  describe("formulas hidden inside a cell", () => {
    const TRIGGER = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
    const BLANKS = /^[ \u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]*/;
    /**
     * Every cell a spreadsheet could make of one exported field: quote-aware (the parsed value) or
     * not (the raw text), split on whichever separator it uses and on every line break, leading
     * blanks trimmed. None may start with a trigger.
     */
    const expectNoCellRunsAFormula = (value: string) => {
      const field = csvField(value);
      const [[parsed]] = parse(field + "\r\n", { relax_quotes: true }) as string[][];
      expect(parsed.replace(/^'/, "").replace(/(^|[,;\t\r\n])'/g, "$1")).toBe(value);
      for (const text of [parsed, field.replace(/^"/, "")]) {
        for (const separator of [",", ";", "\t"]) {
          for (const cell of text.split(separator).flatMap((piece) => piece.split(/\r\n|\r|\n/))) {
            expect(cell.replace(BLANKS, ""), `${JSON.stringify(value)} split on ${JSON.stringify(separator)}`).not.toMatch(TRIGGER);
          }
        }
      }
    };

    it("after a line break (LF, CR, CRLF), whichever separator the spreadsheet uses", () => {
      for (const eol of ["\n", "\r", "\r\n"]) {
        for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]) {
          expectNoCellRunsAFormula(`Desk${eol}${evil}`);
        }
      }
      const [[label]] = parse(csvField('Desk\n=HYPERLINK("http://x")') + "\r\n") as string[][];
      expect(label).toBe('Desk\n\'=HYPERLINK("http://x")');
    });

    it("after a separator (, ; tab), also behind blanks", () => {
      for (const separator of [",", ";", "\t", ", ", "; ", "\t ", ",\u00A0", ";\u3000"]) {
        expectNoCellRunsAFormula(`Desk${separator}=HYPERLINK("http://x")`);
        expectNoCellRunsAFormula(`a${separator}@SUM(A1)${separator}b`);
      }
    });

    it("behind leading whitespace or tabs at the start of the cell", () => {
      for (const lead of [" ", "  ", "\t", "\t\t", " \t", "\u00A0", "\u3000", "\r", "\n", "\r\n "]) {
        for (const evil of ["=1+1", "+1", "-1+2", "@SUM(A1)"]) expectNoCellRunsAFormula(lead + evil);
      }
    });

    it("fullwidth triggers (＝ ＋ － ＠), at the start and hidden", () => {
      for (const evil of ["\uFF1DHYPERLINK(\"http://x\")", "\uFF0B1", "\uFF0D1", "\uFF20SUM(A1)"]) {
        expectNoCellRunsAFormula(evil);
        expectNoCellRunsAFormula(`Desk\n${evil}`);
        expectNoCellRunsAFormula(`Desk; ${evil}`);
      }
      expect(csvField("\uFF1D1+1")).toBe("'\uFF1D1+1");
      for (const plain of ["Reception = desk", "Desk 2", "a-b", "user@example.net", "Empfang\nTresen"]) {
        expect(parse(csvField(plain) + "\r\n")[0][0]).toBe(plain);
      }
    });

    it("in a whole phone line, comma or semicolon separated", () => {
      for (const separator of [",", ";"] as const) {
        const line = phoneCsvLine(
          phone({ label: 'Desk\r\n=HYPERLINK("http://x")', serial: " \t+1", customer: { name: "A;\uFF1D1", number: "K\t@x" } }),
          null,
          separator,
        );
        const [row] = parse(line, { delimiter: separator }) as string[][];
        expect(row[3]).toBe('Desk\r\n\'=HYPERLINK("http://x")');
        for (const cell of line.split(/[,;\t\r\n"]/)) expect(cell.replace(BLANKS, "")).not.toMatch(TRIGGER);
      }
    });
  });

  it("quotes fields with quotes, separators and line breaks, and a reader gets them back", () => {
    const values = ['say "hi"', "a,b", "a;b", "line1\nline2", "cr\r\nlf", "plain", "", null, 42];
    const line = csvLine(values);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    const [row] = parse(line) as string[][];
    expect(row).toEqual(['say "hi"', "a,b", "a;b", "line1\nline2", "cr\r\nlf", "plain", "", "", "42"]);
  });

  it("writes MACs in colon notation, so no spreadsheet turns them into numbers, and the import reads them back", () => {
    for (const mac of ["00041350E123", "000413123456", "00087B000001"]) {
      const [row] = parse(phoneCsvLine(phone({ mac }), null)) as string[][];
      expect(row[0]).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
      expect(parseMac(row[0])).toMatchObject({ ok: true, mac });
      expect(parsePaste(row[0])[0].mac).toBe(row[0]);
    }
  });

  it("a phone line has every column in the header's order", () => {
    const [row] = parse(
      phoneCsvLine(
        phone({
          serial: "=cmd|' /C calc'!A0",
          syncStatus: "failed",
          syncedAt: null,
          lastErrorCode: "transient",
          lastErrorText: "HTTP 503",
        }),
        "https://prov.example.net/snom/{mac}.xml",
      ),
    ) as string[][];
    expect(row).toHaveLength(EXPORT_HEADER.length);
    expect(row).toEqual([
      "00:04:13:50:E1:23",
      "Bäckerei Müller",
      "K-1001",
      "Empfang",
      "D785",
      "'=cmd|' /C calc'!A0",
      "https://prov.example.net/snom/{mac}.xml",
      "Failed",
      "",
      "HTTP 503",
    ]);
    const [synced] = parse(phoneCsvLine(phone(), null)) as string[][];
    // Statuses in words, dates a spreadsheet reads as dates (UTC, named in the header).
    expect(synced[7]).toBe("Synced");
    expect(synced[8]).toBe("2026-11-26 10:00:00");
    expect(EXPORT_HEADER[8]).toBe("Last synced (UTC)");
    // One error text per row: the message, else the code in words.
    const [coded] = parse(phoneCsvLine(phone({ syncStatus: "owned_elsewhere", lastErrorCode: "owned_by_other_user" }), null)) as string[][];
    expect(coded[7]).toBe("Owned elsewhere");
    expect(coded[9]).toBe("Owned by another redirection account");
  });

  it("a customer number starting with - or + is kept as text", () => {
    const [row] = parse(phoneCsvLine(phone({ customer: { name: "@evil", number: "-1" } }), null)) as string[][];
    expect(row.slice(1, 3)).toEqual(["'@evil", "'-1"]);
  });

  it("writes semicolon-separated lines for Excel with a decimal comma, read back the same", () => {
    const line = phoneCsvLine(phone({ label: "Empfang; Tresen" }), "https://p.example/{mac}", ";");
    const [cells] = parse(line, { delimiter: ";" }) as string[][];
    expect(cells.slice(0, 4)).toEqual(["00:04:13:50:E1:23", "Bäckerei Müller", "K-1001", "Empfang; Tresen"]);
    expect(cells[6]).toBe("https://p.example/{mac}");
  });

  it("file name and BOM", () => {
    expect(exportFileName(new Date("2026-11-26T23:59:00Z"))).toBe("phones-2026-11-26.csv");
    expect(CSV_BOM).toBe("\uFEFF");
  });
});
