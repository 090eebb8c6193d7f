import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectDelimiter, parseCsvFile, type CsvParseResult } from "@/lib/import/csv";
import { MAX_IMPORT_LINES } from "@/lib/import/types";

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/import", name));

function ok(result: CsvParseResult) {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result;
}
function error(result: CsvParseResult): string {
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

describe("parseCsvFile: real-world files", () => {
  it("reads an Excel export with BOM, `;` and CRLF, mapping English headers", () => {
    const r = ok(parseCsvFile(fixture("excel-bom-semicolon.csv")));
    expect(r.delimiter).toBe(";");
    expect(r.hasHeader).toBe(true);
    expect(r.headers).toEqual(["MAC Address", "Customer No", "Label", "Model"]);
    expect(r.mapping).toEqual({ mac: 0, customerNumber: 1, label: 2, model: 3 });
    expect(r.rows).toHaveLength(3);
    expect(r.rows[0]).toEqual({
      line: 2,
      mac: "000413A1B2C3",
      customerNumber: "K-1001",
      label: "Reception",
      model: "D785",
    });
    expect(r.rows[2]).toMatchObject({ line: 4, mac: "00-04-13-a1-b2-c5", customerNumber: "K-1002" });
  });

  it("maps German headers and keeps umlauts", () => {
    const r = ok(parseCsvFile(fixture("german-headers.csv")));
    expect(r.mapping).toEqual({ mac: 0, customerNumber: 1, label: 2, model: 3, serial: 4 });
    expect(r.rows[0]).toMatchObject({ mac: "000413AA0001", label: "Empfang Müller", serial: "SN-0001" });
    expect(r.rows[1].label).toBe("Büro Weiß");
    expect(r.rows[2].serial).toBeUndefined();
  });

  it("keeps scientific-notation damage as one value (German decimal comma in a `;` file)", () => {
    const r = ok(parseCsvFile(fixture("scientific-damage.csv")));
    expect(r.delimiter).toBe(";");
    expect(r.mapping).toMatchObject({ mac: 0, customerName: 1, label: 2 });
    expect(r.rows.map((x) => x.mac)).toEqual(["000413A1B2C3", "4,135E+127", "1.23E+11", "00041350E123"]);
  });

  it("reads stripped-zero numbers as text for the classifier to explain", () => {
    const r = ok(parseCsvFile(fixture("stripped-zeros.csv")));
    expect(r.delimiter).toBe(",");
    expect(r.mapping).toMatchObject({ mac: 0, customerName: 1, label: 2 });
    expect(r.rows.map((x) => x.mac)).toEqual(["413123456", "000413123457", "87123456789"]);
  });

  it("skips blank lines, trims trailing spaces and keeps true line numbers", () => {
    const r = ok(parseCsvFile(fixture("mixed-separators.csv")));
    expect(r.rows.map((x) => [x.line, x.mac, x.label])).toEqual([
      [3, "000413AABB01", "One"],
      [4, "00:04:13:aa:bb:02", "Two"],
      [5, "00-04-13-AA-BB-03", "Three"],
      [7, "0004.13aa.bb04", "Four"],
      [8, "000413 AABB05", "Five"],
      [9, "00:04:13:AA:BB:01", "One again"],
    ]);
  });

  it("handles quoted fields with embedded `;`, quotes and line breaks", () => {
    const r = ok(parseCsvFile(fixture("quoted-fields.csv")));
    expect(r.delimiter).toBe(";");
    expect(r.rows.map((x) => x.label)).toEqual(["Reception; front desk", 'Say "hello"', "Two\r\nlines", "Plain"]);
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 4, 6]);
  });

  it("reads TSV with every optional column", () => {
    const r = ok(parseCsvFile(fixture("phones.tsv")));
    expect(r.delimiter).toBe("\t");
    expect(r.mapping).toEqual({ mac: 0, customerName: 1, label: 2, model: 3, serial: 4, urlOverride: 5 });
    expect(r.rows[0]).toEqual({
      line: 2,
      mac: "000413DD0001",
      customerName: "Alpha GmbH",
      label: "Reception",
      model: "D785",
      serial: "S1",
      urlOverride: "https://prov.example.net/alpha/{mac}.xml",
    });
    expect(r.rows[2]).toEqual({ line: 4, mac: "000413DD0003", customerName: "Beta AG", label: "Lab", model: "D717" });
  });

  it("treats a file without header as MACs in column 0", () => {
    const r = ok(parseCsvFile(fixture("no-header.csv")));
    expect(r.hasHeader).toBe(false);
    expect(r.headers).toEqual(["Column 1"]);
    expect(r.mapping).toEqual({ mac: 0 });
    expect(r.rows.map((x) => [x.line, x.mac])).toEqual([
      [1, "000413AB0001"],
      [2, "00:04:13:AB:00:02"],
      [3, "0004.13ab.0003"],
    ]);
  });

  it("finds the MAC column by its content when no header names it", () => {
    const r = ok(parseCsvFile(fixture("unknown-headers.csv")));
    expect(r.hasHeader).toBe(true);
    expect(r.mapping).toEqual({ mac: 0 });
  });

  it("lets an explicit mapping override the detected one", () => {
    const r = ok(parseCsvFile(fixture("unknown-headers.csv"), { mapping: { label: 1 } }));
    expect(r.mapping).toEqual({ mac: 0, label: 1 });
    expect(r.rows[0]).toMatchObject({ mac: "000413AC0001", label: "Reception" });
    const swapped = ok(parseCsvFile(fixture("excel-bom-semicolon.csv"), { mapping: { label: 3, model: 2 } }));
    expect(swapped.rows[0]).toMatchObject({ label: "D785", model: "Reception" });
  });

  it("accepts a Buffer and a plain Uint8Array alike", () => {
    const bytes = new Uint8Array(fixture("no-header.csv"));
    expect(ok(parseCsvFile(bytes)).rows).toHaveLength(3);
  });
});

describe("parseCsvFile: bad files get a specific error, never a throw", () => {
  it("empty file", () => {
    expect(error(parseCsvFile(new Uint8Array()))).toMatch(/empty/);
    expect(error(parseCsvFile(Buffer.from("\uFEFF\r\n\r\n  \n")))).toMatch(/empty/);
  });

  it("header only", () => {
    expect(error(parseCsvFile(Buffer.from("MAC;Label\n")))).toMatch(/no phones/);
  });

  it("latin-1 file: asks for CSV UTF-8 and says where", () => {
    const message = error(parseCsvFile(fixture("latin1.csv")));
    expect(message).toMatch(/not UTF-8/);
    expect(message).toMatch(/CSV UTF-8/);
    expect(message).toMatch(/0xFC at byte 81, line 3/);
  });

  it("binary files: xlsx (zip), xls (OLE2) and anything with NUL bytes", () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.alloc(64, 7)]);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    const withNul = Buffer.from("000413AABBCC\n\0\0\0\n");
    const noisy = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    for (const bytes of [xlsx, xls, withNul, noisy]) {
      expect(error(parseCsvFile(bytes))).toBe(
        "This looks like a binary file (e.g. an .xlsx); export it as CSV (File › Save as › CSV UTF-8) and upload that.",
      );
    }
  });

  it("UTF-16 text", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("MAC\n000413AABBCC\n", "utf16le")]);
    expect(error(parseCsvFile(bytes))).toMatch(/UTF-16/);
  });

  it("ragged rows: lists the line numbers", () => {
    const message = error(parseCsvFile(fixture("ragged.csv")));
    expect(message).toMatch(/2 rows have a different number of columns than the header \(3\)/);
    expect(message).toMatch(/line 3 \(4\), line 4 \(2\)/);
  });

  it("tolerates a trailing delimiter (extra empty cells)", () => {
    const r = ok(parseCsvFile(Buffer.from("MAC;Label\n000413AABBCC;One;\n000413AABBCD;Two\n")));
    expect(r.rows).toHaveLength(2);
  });

  it("no MAC column", () => {
    expect(error(parseCsvFile(fixture("no-mac-column.csv")))).toMatch(
      /No MAC address column found.*Name, Phone number/,
    );
  });

  it("a mapping to a column that does not exist", () => {
    expect(error(parseCsvFile(fixture("no-header.csv"), { mapping: { label: 4 } }))).toMatch(/does not exist/);
  });

  it(`more than ${MAX_IMPORT_LINES} data lines: refused before parsing`, () => {
    const lines = Array.from({ length: MAX_IMPORT_LINES + 2 }, (_, i) => `000413${i.toString(16).padStart(6, "0")}`);
    const message = error(parseCsvFile(Buffer.from(`MAC\n${lines.join("\n")}\n`)));
    expect(message).toMatch(/10003 lines; at most 10000/);
  });

  it(`exactly ${MAX_IMPORT_LINES} data lines plus a header are fine; ${MAX_IMPORT_LINES + 1} without header are not`, () => {
    const lines = Array.from(
      { length: MAX_IMPORT_LINES },
      (_, i) => `000413${i.toString(16).padStart(6, "0")};Label ${i}`,
    );
    const r = ok(parseCsvFile(Buffer.from(`MAC;Label\n${lines.join("\n")}\n`)));
    expect(r.rows).toHaveLength(MAX_IMPORT_LINES);
    expect(r.rows.at(-1)?.line).toBe(MAX_IMPORT_LINES + 1);
    const noHeader = [...lines, "000413FFFFFF;x"].join("\n");
    expect(error(parseCsvFile(Buffer.from(noHeader)))).toMatch(/10001 rows/);
  });

  it("a file over the byte limit", () => {
    expect(error(parseCsvFile(Buffer.alloc(200, 0x41), { maxBytes: 100 }))).toMatch(/limit/);
  });

  it("never throws on arbitrary garbage", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = new Uint8Array(300).map((_, i) => (seed * 7919 + i * 104729) % 256);
      expect(() => parseCsvFile(bytes)).not.toThrow();
    }
    expect(() => parseCsvFile(Buffer.from('MAC;Label\n"000413AABBCC;unterminated\n'))).not.toThrow();
  });
});

describe("detectDelimiter", () => {
  it.each<[string, string]>([
    ["a;b;c\n1;2;3\n", ";"],
    ["a,b,c\n1,2,3\n", ","],
    ["a\tb\n1\t2\n", "\t"],
    ['a;"x,y,z"\n1;"2,3,4"\n', ";"],
    ["mac\n4,135E+127\n000413AABBCC\n", "\t"],
    ["a;b,c\n1;2\n3;4\n", ";"],
  ])("%j → %j", (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe("parseCsvFile: Excel's sep= line is a delimiter hint, not data", () => {
  it.each([
    ["excel-sep-semicolon.csv", ";", ["MAC-Adresse", "Kunde", "Bezeichnung"], "Empfang, vorne"],
    ["excel-sep-comma.csv", ",", ["MAC", "Customer", "Label"], "Reception; front"],
    ["excel-sep-tab.txt", "\t", ["MAC", "Customer", "Label"], "Reception, front; left"],
    ["excel-sep-quoted.csv", ";", ["MAC", "Label"], "One, two"],
  ])("%s: delimiter %j from the hint, header on line 2, line numbers of the file", (name, delimiter, headers, label) => {
    const r = ok(parseCsvFile(fixture(name)));
    expect(r.delimiter).toBe(delimiter);
    expect(r.hasHeader).toBe(true);
    expect(r.headers).toEqual(headers);
    expect(r.rows[0]).toMatchObject({ line: 3, mac: "000413A30001", label });
  });

  it("the spelled-out form `sep=\\t` means tab", () => {
    const r = ok(parseCsvFile(Buffer.from("sep=\\t\nMAC\tLabel\n000413A30001\tOne, two; three\n")));
    expect(r.delimiter).toBe("\t");
    expect(r.rows).toEqual([{ line: 3, mac: "000413A30001", label: "One, two; three" }]);
  });

  it("a delimiter the import does not read is named", () => {
    expect(error(parseCsvFile(fixture("excel-sep-pipe.csv")))).toMatch(
      /^The first line “sep=\|” asks for “\|” between the columns; the import reads columns separated by commas, semicolons or tabs/,
    );
  });

  it("a file with only the hint line", () => {
    expect(error(parseCsvFile(Buffer.from("sep=;\r\n")))).toBe("The file has only the “sep=” line and no phones.");
  });
});

describe("parseCsvFile: PBX device exports are mapped by their column names", () => {
  it("FusionPBX device export (device_mac_address, device_label, device_template, device_description)", () => {
    const r = ok(parseCsvFile(fixture("fusionpbx-devices.csv")));
    expect(r.mapping).toEqual({ mac: 2, label: 3, model: 5 });
    expect(r.rows).toEqual([
      { line: 2, mac: "000413a30001", label: "Reception", model: "snom/d785" },
      { line: 3, mac: "000413a30002", label: "Warehouse", model: "snom/d735" },
      { line: 4, mac: "00087b000003", model: "snom/m700" },
    ]);
  });

  it("FusionPBX with device_model: the model wins over the template, the label over the description", () => {
    const r = ok(parseCsvFile(fixture("fusionpbx-devices-model.csv")));
    expect(r.mapping).toEqual({ mac: 0, label: 1, model: 3 });
    expect(r.rows[0]).toEqual({ line: 2, mac: "000413a30001", label: "Reception", model: "D785" });
  });

  it("FreePBX Endpoint Manager CSV (no header: MAC, Brand, Model, Extension, Line)", () => {
    const r = ok(parseCsvFile(fixture("freepbx-epm.csv")));
    expect(r.hasHeader).toBe(false);
    expect(r.mapping).toEqual({ mac: 0, model: 2, label: 3 });
    expect(r.rows).toEqual([
      { line: 1, mac: "000413A30001", model: "D785", label: "201" },
      { line: 2, mac: "000413A30002", model: "D735", label: "202" },
      { line: 3, mac: "00087B000003", model: "M700" },
    ]);
  });

  it("Yeastar P-Series auto-provisioning export (Vendor, Model, MAC Address, …, Assign Extension)", () => {
    const r = ok(parseCsvFile(fixture("yeastar-provisioning.csv")));
    expect(r.mapping).toEqual({ mac: 2, model: 1, label: 5 });
    expect(r.rows[1]).toEqual({ line: 3, mac: "00-04-13-A3-00-02", model: "D735", label: "1002" });
  });

  it("Switchvox's digium_phone_mac_address is named, even where no MAC is valid yet", () => {
    const r = ok(parseCsvFile(Buffer.from("ext,digium_phone_mac_address\n201,4.135E+127\n202,413123456\n")));
    expect(r.mapping).toEqual({ label: 0, mac: 1 });
  });

  it("Vodia's #alias column is the label", () => {
    const r = ok(parseCsvFile(Buffer.from("#alias;first_name;last_name;mac\n201;Anna;Muster;000413A30001\n")));
    expect(r.mapping).toEqual({ label: 0, mac: 3 });
  });
});
