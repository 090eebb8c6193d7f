import { describe, expect, it } from "vitest";
import {
  buildCustomerMaps,
  classifyRows,
  NOT_SNOM_WARNING,
  type ClassifyContext,
  type RowVerdict,
} from "@/lib/import/classify";
import { parseCsvFile } from "@/lib/import/csv";
import { parsePaste } from "@/lib/import/paste";
import type { ImportRow } from "@/lib/import/types";
import { readFileSync } from "node:fs";
import path from "node:path";

const customers = [
  { id: "c-alpha", name: "Alpha GmbH", number: "K-1001" },
  { id: "c-beta", name: "Beta AG", number: "K-1002" },
  { id: "c-twin1", name: "Twin", number: "K-2001" },
  { id: "c-twin2", name: "twin", number: "K-2002" },
];

function context(overrides: Partial<ClassifyContext> = {}): ClassifyContext {
  return {
    existingMacs: new Map([
      ["000413000001", { customerId: "c-alpha", customerName: "Alpha GmbH" }],
      ["000413000002", { customerId: "c-beta", customerName: "Beta AG" }],
    ]),
    ...buildCustomerMaps(customers),
    ...overrides,
  };
}

const rows = (...macs: string[]): ImportRow[] => macs.map((mac, i) => ({ line: i + 1, mac }));

describe("classifyRows", () => {
  it("ok rows are normalised and carry the target customer and fields", () => {
    const preview = classifyRows(
      [{ line: 1, mac: "00:04:13:aa:bb:cc", label: "Reception", model: "D785" }],
      context({ targetCustomerId: "c-alpha" }),
    );
    expect(preview.rows[0]).toEqual({
      line: 1,
      status: "ok",
      mac: "000413AABBCC",
      isSnom: true,
      customerId: "c-alpha",
      label: "Reception",
      model: "D785",
    });
    expect(preview.counts).toMatchObject({ ok: 1, invalid: 0, total: 1, notSnom: 0 });
  });

  it("warns (but accepts) a MAC outside snom's prefixes", () => {
    const preview = classifyRows(rows("3C5AB4010203", "00087B000001"), context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows[0]).toMatchObject({ status: "ok", isSnom: false, warning: NOT_SNOM_WARNING });
    expect(preview.rows[1]).toMatchObject({ status: "ok", isSnom: true });
    expect(preview.rows[1]).not.toHaveProperty("warning");
    expect(preview.counts).toMatchObject({ ok: 2, notSnom: 1 });
  });

  it.each([
    ["", "empty"],
    ["000413AABB", "wrong_length"],
    ["000413AABBZZ", "non_hex"],
    ["4.135E+127", "scientific_notation"],
    ["413123456", "lost_leading_zeros"],
    ["000000000000", "all_zero"],
    ["FFFFFFFFFFFF", "broadcast"],
    ["01005E0000FB", "multicast"],
  ])("invalid %j → %s with parseMac's message", (mac, reason) => {
    const [verdict] = classifyRows(rows(mac), context({ targetCustomerId: "c-alpha" })).rows;
    expect(verdict).toMatchObject({ status: "invalid", input: mac, reason });
  });

  it("spreadsheet damage tells how to fix it", () => {
    const preview = classifyRows(rows("4,135E+127", "413123456"), context({ targetCustomerId: "c-alpha" }));
    for (const v of preview.rows) {
      expect(v.status).toBe("invalid");
      if (v.status === "invalid") expect(v.message).toMatch(/format the column as text/);
    }
  });

  it("invalid URL overrides and over-long fields are invalid rows", () => {
    const preview = classifyRows(
      [
        { line: 1, mac: "000413AABB01", urlOverride: "ftp://prov.example.net/{mac}" },
        { line: 2, mac: "000413AABB02", label: "x".repeat(201) },
        { line: 3, mac: "000413AABB03", urlOverride: " https://prov.example.net/{mac}.xml " },
      ],
      context({ targetCustomerId: "c-alpha" }),
    );
    expect(preview.rows.map((r) => r.status)).toEqual(["invalid", "invalid", "ok"]);
    expect(preview.rows[0]).toMatchObject({ reason: "invalid_url" });
    expect(preview.rows[1]).toMatchObject({ reason: "too_long" });
    expect(preview.rows[2]).toMatchObject({ urlOverride: "https://prov.example.net/{mac}.xml" });
  });

  it("duplicates within the input refer to the first line, in any notation", () => {
    const preview = classifyRows(
      rows("000413AABB01", "00:04:13:aa:bb:01", "0004.13aa.bb01", "000413AABB02"),
      context({ targetCustomerId: "c-alpha" }),
    );
    expect(preview.rows.map((r) => r.status)).toEqual(["ok", "duplicate", "duplicate", "ok"]);
    expect(preview.rows[2]).toMatchObject({ mac: "000413AABB01", firstLine: 1 });
    expect(preview.counts).toMatchObject({ ok: 2, duplicate: 2 });
  });

  it("exists: same customer cannot move, another customer can", () => {
    const preview = classifyRows(rows("000413000001", "000413000002"), context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows[0]).toMatchObject({
      status: "exists",
      customerId: "c-alpha",
      customerName: "Alpha GmbH",
      canMove: false,
    });
    expect(preview.rows[1]).toMatchObject({
      status: "exists",
      customerId: "c-beta",
      customerName: "Beta AG",
      canMove: true,
      targetCustomerId: "c-alpha",
    });
    expect(preview.counts.exists).toBe(2);
  });

  it("file rows resolve customers by number, by name (any case), and a number in the name column", () => {
    const preview = classifyRows(
      [
        { line: 2, mac: "000413AABB01", customerNumber: "K-1002" },
        { line: 3, mac: "000413AABB02", customerName: "ALPHA gmbh" },
        { line: 4, mac: "000413AABB03", customerName: "K-1002" },
        { line: 5, mac: "000413AABB04", customerNumber: "Beta AG" },
        { line: 6, mac: "000413AABB05" },
      ],
      context({ targetCustomerId: "c-alpha" }),
    );
    expect(preview.rows.map((r) => (r.status === "ok" ? r.customerId : r.status))).toEqual([
      "c-beta",
      "c-alpha",
      "c-beta",
      "c-beta",
      "c-alpha",
    ]);
  });

  it("unknown and ambiguous customers", () => {
    const preview = classifyRows(
      [
        { line: 2, mac: "000413AABB01", customerNumber: "K-9999" },
        { line: 3, mac: "000413AABB02", customerName: "Gamma KG" },
        { line: 4, mac: "000413AABB03", customerName: "TWIN" },
        { line: 5, mac: "000413AABB04" },
      ],
      context(),
    );
    expect(preview.rows.map((r) => r.status)).toEqual([
      "unknown_customer",
      "unknown_customer",
      "unknown_customer",
      "unknown_customer",
    ]);
    expect(preview.rows[0]).toMatchObject({
      customer: "K-9999",
      message: expect.stringMatching(/No customer “K-9999”/),
    });
    expect(preview.rows[2]).toMatchObject({ message: expect.stringMatching(/More than one customer/) });
    expect(preview.rows[3]).toMatchObject({ message: expect.stringMatching(/default customer/) });
    expect(preview.counts.unknown_customer).toBe(4);
  });

  it("an existing MAC in a file row for another customer can be moved there", () => {
    const [v] = classifyRows([{ line: 2, mac: "000413000001", customerNumber: "K-1002" }], context()).rows;
    expect(v).toMatchObject({ status: "exists", canMove: true, targetCustomerId: "c-beta" });
  });

  it("counts add up over a mixed paste", () => {
    const text = "000413AABB01\n000413AABB01\n4.135E+127\n000413000002\n3C5AB4010203\n\n413123456";
    const preview = classifyRows(parsePaste(text), context({ targetCustomerId: "c-alpha" }));
    expect(preview.counts).toEqual({
      ok: 2,
      invalid: 2,
      duplicate: 1,
      exists: 1,
      unknown_customer: 0,
      total: 6,
      notSnom: 1,
    });
    const lines = (status: RowVerdict["status"]) => preview.rows.filter((r) => r.status === status).map((r) => r.line);
    expect(lines("invalid")).toEqual([3, 7]);
  });

  it("classifies a real file end to end", () => {
    const bytes = readFileSync(path.resolve(import.meta.dirname, "../fixtures/import/scientific-damage.csv"));
    const parsed = parseCsvFile(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    const preview = classifyRows(parsed.rows, context());
    expect(preview.rows.map((r) => [r.line, r.status])).toEqual([
      [2, "ok"],
      [3, "invalid"],
      [4, "invalid"],
      [5, "ok"],
    ]);
  });

  // Its speed is measured by `npm run bench:import`, not here.
  it("classifies 10000 mixed rows", () => {
    const input: ImportRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      line: i + 1,
      mac:
        i % 20 === 0
          ? "4.135E+127"
          : i % 3 === 0
            ? `00:04:13:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}:00`
            : `000413${i.toString(16).padStart(6, "0")}`,
      customerNumber: i % 2 ? "K-1001" : undefined,
      label: `Ext ${i}`,
    }));
    const existingMacs = new Map(
      Array.from({ length: 2000 }, (_, i) => [
        `000413${(i * 5).toString(16).padStart(6, "0")}`,
        { customerId: "c-beta", customerName: "Beta AG" },
      ]),
    );
    const ctx = context({ existingMacs, targetCustomerId: "c-alpha" });
    const preview = classifyRows(input, ctx);
    expect(preview.rows).toHaveLength(10_000);
    expect(preview.rows.filter((r) => r.status === "invalid").length).toBeGreaterThanOrEqual(500);
  });
});

describe("real-world MACs through the paste box and the file import", () => {
  const fixtureBytes = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/import", name));

  it('a CSV with invisible characters, look-alike dashes, fullwidth digits and ="…" imports them', () => {
    const parsed = parseCsvFile(fixtureBytes("real-world-macs.csv"));
    if (!parsed.ok) throw new Error(parsed.error);
    const preview = classifyRows(parsed.rows, context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows.filter((r) => r.status === "ok").map((r) => (r.status === "ok" ? r.mac : ""))).toEqual([
      "000413A30001",
      "000413A30002",
      "000413A30003",
      "000413A30004",
      "000413A30005",
      "000413A30006",
      "000413A30007",
    ]);
    const invalid = preview.rows.filter((r) => r.status === "invalid");
    expect(invalid).toEqual([
      {
        line: 9,
        status: "invalid",
        input: "000413\u0410A3000",
        reason: "look_alike",
        message:
          "“000413\u0410A3000” contains “\u0410” (U+0410, Cyrillic capital letter A), which looks like the Latin A, after “000413”: a MAC has only the digits 0–9 and the Latin letters A–F.",
      },
      {
        line: 10,
        status: "invalid",
        input: "000413A3000\u200e",
        reason: "wrong_length",
        message:
          "“000413A3000” has 11 hex digits; a MAC has exactly 12 (it also held an invisible character U+200E (left-to-right mark) after the MAC, which was ignored).",
      },
    ]);
  });

  it("pasted lines with the same characters, alone and with labels", () => {
    const text = [
      "000413A30001\u200B",
      "\u200E00:04:13:A3:00:02\u200E\tReception",
      "00\u201304\u201313\u2013A3\u201300\u201303;Store",
      "\uFF10\uFF10\uFF1A\uFF10\uFF14\uFF1A\uFF11\uFF13\uFF1A\uFF41\uFF13\uFF1A\uFF10\uFF10\uFF1A\uFF10\uFF14",
      '="000413A30005"',
      '="000413A30006";Front desk',
      "\u00AD000413A30007\u2060",
      "000413\u0410A30008",
    ].join("\n");
    const preview = classifyRows(parsePaste(text), context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows.map((r) => (r.status === "ok" ? [r.mac, r.label ?? null] : [r.status, null]))).toEqual([
      ["000413A30001", null],
      ["000413A30002", "Reception"],
      ["000413A30003", "Store"],
      ["000413A30004", null],
      ["000413A30005", null],
      ["000413A30006", "Front desk"],
      ["000413A30007", null],
      ["invalid", null],
    ]);
    expect(preview.rows[7]).toMatchObject({ reason: "look_alike", message: expect.stringContaining("U+0410") });
  });

  it("spreadsheet numbers in a file: the fix for damage, the length for typos, padding only for snom", () => {
    const parsed = parseCsvFile(fixtureBytes("spreadsheet-numbers.csv"));
    if (!parsed.ok) throw new Error(parsed.error);
    const preview = classifyRows(parsed.rows, context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows.map((r) => (r.status === "invalid" ? [r.input, r.reason] : r.status))).toEqual([
      ["4135000000", "spreadsheet_number"],
      ["413000000001,00", "spreadsheet_number"],
      ["413123456", "lost_leading_zeros"],
      ["00041312345", "wrong_length"],
      ["0004131234567", "wrong_length"],
      ["4,135E+127", "scientific_notation"],
    ]);
    for (const i of [0, 1, 2, 5]) {
      const row = preview.rows[i];
      expect(row.status === "invalid" && row.message).toMatch(/format the column as text in the spreadsheet/);
    }
    const zeros = preview.rows[2];
    expect(zeros.status === "invalid" && zeros.message).toContain("000413123456 (a snom MAC)");
    const typo = preview.rows[3];
    expect(typo.status === "invalid" && typo.message).toBe("“00041312345” has 11 hex digits; a MAC has exactly 12.");
  });

  it("a pasted German decimal number stays one value", () => {
    const preview = classifyRows(parsePaste("413000000001,00"), context({ targetCustomerId: "c-alpha" }));
    expect(preview.rows).toEqual([expect.objectContaining({ status: "invalid", input: "413000000001,00", reason: "spreadsheet_number" })]);
  });
});
