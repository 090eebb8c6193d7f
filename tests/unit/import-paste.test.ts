import { describe, expect, it } from "vitest";
import { parsePaste } from "@/lib/import/paste";

describe("parsePaste", () => {
  it("one MAC per line, any notation, blank lines ignored, line numbers kept", () => {
    const text = "000413AABB01\n\n  00:04:13:aa:bb:02  \r\n0004.13aa.bb03\r\n\n00-04-13-AA-BB-04\n";
    expect(parsePaste(text)).toEqual([
      { line: 1, mac: "000413AABB01" },
      { line: 3, mac: "00:04:13:aa:bb:02" },
      { line: 4, mac: "0004.13aa.bb03" },
      { line: 6, mac: "00-04-13-AA-BB-04" },
    ]);
  });

  it("a MAC written with spaces is one MAC", () => {
    expect(parsePaste("00 04 13 AA BB CC")).toEqual([{ line: 1, mac: "00 04 13 AA BB CC" }]);
    expect(parsePaste("000413 AABBCC")).toEqual([{ line: 1, mac: "000413 AABBCC" }]);
  });

  it.each([
    ["000413AABB01, 000413AABB02, 000413AABB03", ","],
    ["000413AABB01;000413AABB02;000413AABB03", ";"],
    ["000413AABB01\t000413AABB02\t000413AABB03", "tab"],
    ["000413AABB01 000413AABB02   000413AABB03", "space"],
  ])("several MACs on one line: %j (%s)", (text) => {
    expect(parsePaste(text)).toEqual([
      { line: 1, mac: "000413AABB01" },
      { line: 1, mac: "000413AABB02" },
      { line: 1, mac: "000413AABB03" },
    ]);
  });

  it("a list keeps invalid entries so each gets its own message", () => {
    expect(parsePaste("000413AABB01, 000413AABB02, 12345, 4.135E+127")).toEqual([
      { line: 1, mac: "000413AABB01" },
      { line: 1, mac: "000413AABB02" },
      { line: 1, mac: "12345" },
      { line: 1, mac: "4.135E+127" },
    ]);
    expect(parsePaste("000413AABB01 4.135E+127")).toEqual([
      { line: 1, mac: "000413AABB01" },
      { line: 1, mac: "4.135E+127" },
    ]);
  });

  it.each([
    ["000413AABB01\tReception\tD785", { label: "Reception", model: "D785" }],
    ["000413AABB01;Reception;D785", { label: "Reception", model: "D785" }],
    ["000413AABB01, Reception, D785", { label: "Reception", model: "D785" }],
    ["000413AABB01\tReception", { label: "Reception" }],
    ["000413AABB01\t\tD785", { model: "D785" }],
    ["000413AABB01;Front desk, left;D785", { label: "Front desk, left", model: "D785" }],
    ['000413AABB01,"Reception",D785', { label: "Reception", model: "D785" }],
    ["00 04 13 AA BB 01\tRoom 12\tD785", { label: "Room 12", model: "D785" }],
    ["000413AABB01\tReception\tD785\tignored", { label: "Reception", model: "D785" }],
  ])("columns [mac, label, model] with tab/;/, : %j", (text, fields) => {
    const [row] = parsePaste(text);
    expect(row).toEqual({ line: 1, mac: text.startsWith("00 04") ? "00 04 13 AA BB 01" : "000413AABB01", ...fields });
  });

  it("pasted spreadsheet columns (tab separated)", () => {
    const text = "000413AABB01\tReception\tD785\n000413AABB02\tOffice 1\tD735\n\n000413AABB03\tLab\t";
    expect(parsePaste(text)).toEqual([
      { line: 1, mac: "000413AABB01", label: "Reception", model: "D785" },
      { line: 2, mac: "000413AABB02", label: "Office 1", model: "D735" },
      { line: 4, mac: "000413AABB03", label: "Lab" },
    ]);
  });

  it("keeps German scientific notation (decimal comma) as one value", () => {
    expect(parsePaste("4,135E+127")).toEqual([{ line: 1, mac: "4,135E+127" }]);
    expect(parsePaste("4,135E+127, Reception")).toEqual([{ line: 1, mac: "4,135E+127", label: "Reception" }]);
  });

  it("a short, grouped typo stays one value so its message covers what was typed", () => {
    expect(parsePaste("00 04 13 AA BB")).toEqual([{ line: 1, mac: "00 04 13 AA BB" }]);
  });

  it("empty input, whitespace and stray separators give nothing", () => {
    expect(parsePaste("")).toEqual([]);
    expect(parsePaste("\n \n\t\n")).toEqual([]);
    expect(parsePaste(";;;\n,,\n")).toEqual([]);
  });

  // Its speed is measured by `npm run bench:import`, not here.
  it("handles 10000 lines", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `000413${i.toString(16).padStart(6, "0")}\tExt ${i}`).join(
      "\n",
    );
    expect(parsePaste(text)).toHaveLength(10_000);
  });

  it("skips a spreadsheet's header row, and only a first line", () => {
    expect(parsePaste("MAC\tNebenstelle\tModell\n000413000001\t21\tD785")).toEqual([
      { line: 2, mac: "000413000001", label: "21", model: "D785" },
    ]);
    expect(parsePaste("\nMAC-Adresse;Bezeichnung\n000413000002;Empfang").map((r) => r.mac)).toEqual(["000413000002"]);
    // Not the first line: an error the user sees, not silently dropped.
    expect(parsePaste("000413000001\nMAC").map((r) => r.mac)).toEqual(["000413000001", "MAC"]);
  });
});
