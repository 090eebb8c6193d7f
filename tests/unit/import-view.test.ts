import { describe, expect, it } from "vitest";
import { buildCustomerMaps, classifyRows } from "@/lib/import/classify";
import { parsePaste } from "@/lib/import/paste";
import { describeAdded, dropBadLines, keepUnaddedLines, replaceLine } from "@/lib/import/view";

function check(text: string) {
  return classifyRows(parsePaste(text), { existingMacs: new Map(), ...buildCustomerMaps([]), targetCustomerId: "c1" })
    .rows;
}

describe("paste box edits", () => {
  it("replaceLine changes one line and keeps the numbering", () => {
    expect(replaceLine("a\nb\r\nc", 2, "B")).toBe("a\nB\nc");
    expect(replaceLine("a\nb", 2, "x\ny")).toBe("a\nx y");
    expect(replaceLine("a", 5, "x")).toBe("a");
  });

  it("dropBadLines removes invalid and duplicate lines, keeps good MACs of mixed lines", () => {
    const text = [
      "000413000001",
      "",
      "4.135E+127",
      "000413000001",
      "000413000002, 000413000003, 0004130000ZZ",
      "000413000004;Reception",
    ].join("\n");
    const out = dropBadLines(text, check(text));
    expect(out).toBe(["000413000001", "000413000002, 000413000003", "000413000004;Reception"].join("\n"));
    expect(check(out).every((r) => r.status === "ok")).toBe(true);
  });

  it("dropBadLines keeps a line corrected since the check", () => {
    const checked = "000413000001\n00:04:13:00:00\nbad";
    const rows = check(checked);
    const fixed = replaceLine(checked, 2, "00:04:13:00:00:02");
    expect(dropBadLines(fixed, rows, checked)).toBe("000413000001\n00:04:13:00:00:02");
  });

  it("keepUnaddedLines leaves only what Add could not take, as typed", () => {
    const text = ["000413000001", "4.135E+127", "", "000413000001", "0004130000zz;Empfang", "000413000005"].join("\n");
    expect(keepUnaddedLines(text, check(text))).toBe(["4.135E+127", "0004130000zz;Empfang"].join("\n"));
  });

  it("describes what was added", () => {
    expect(describeAdded({ created: 1, moved: 0, skipped: 0 })).toBe("1 phone added.");
    expect(describeAdded({ created: 196, moved: 2, skipped: 3 })).toBe(
      "196 phones added, 2 moved, 3 skipped (already there).",
    );
  });
});
