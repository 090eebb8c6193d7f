// What the import pages hand to the browser, and the pure text edits the paste box offers
// (correct a line, drop the bad lines). No server imports: used by client components.
import type { CsvDelimiter } from "./csv";
import type { Preview, RowVerdict } from "./classify";
import type { ColumnMapping } from "./types";

export type SnomVerdict = "free" | "ours" | "owned_by_other_user" | "error";
export type SnomCheck = { verdict: SnomVerdict; message?: string };

export type ImportView = {
  rows: RowVerdict[];
  counts: Preview["counts"];
  /** Fingerprint of the accepted set; "Add" sends it back and the server refuses a different set. */
  digest: string;
  /** Paste: the text this check is about (the box may have changed since). */
  checkedText?: string;
  /** File: what was read and how its columns are mapped. */
  file?: { name: string; headers: string[]; hasHeader: boolean; mapping: ColumnMapping; delimiter: CsvDelimiter };
  /** "Check with snom": per new MAC, what the redirection service says. */
  snom?: Record<string, SnomCheck>;
  snomNote?: string;
};

export type ImportActionData = {
  view?: ImportView;
  /**
   * `batchId`: the import's id, for its own progress (the customer's sync-status route, `?batch=`);
   * `perCustomer`: how many phones the import created or moved per customer id (file imports, for one
   * progress line per customer).
   */
  added?: {
    created: number;
    moved: number;
    skipped: number;
    customerIds: string[];
    batchId: string;
    perCustomer?: Record<string, number>;
  };
};

/** Lines exactly as `parsePaste` numbers them (1-based index = line - 1). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Replace one line (1-based) of the text; other lines and their numbers stay as they are. */
export function replaceLine(text: string, line: number, value: string): string {
  const lines = splitLines(text);
  if (line < 1 || line > lines.length) return text;
  lines[line - 1] = value.replace(/[\r\n]+/g, " ");
  return lines.join("\n");
}

const isBad = (r: RowVerdict) => r.status === "invalid" || r.status === "duplicate";

/**
 * Remove what a check found invalid or duplicated. A line that held one row goes entirely; a line
 * with several MACs keeps its good ones (normalised, comma-separated). Blank lines go too. A line
 * corrected since the check (its text differs from `checkedText`) is kept as it is now.
 */
export function dropBadLines(text: string, rows: RowVerdict[], checkedText: string = text): string {
  const byLine = new Map<number, RowVerdict[]>();
  for (const row of rows) byLine.set(row.line, [...(byLine.get(row.line) ?? []), row]);
  const checked = splitLines(checkedText);
  const out: string[] = [];
  splitLines(text).forEach((content, i) => {
    const lineRows = byLine.get(i + 1);
    if (content !== checked[i]) {
      if (content.trim() !== "") out.push(content);
      return;
    }
    if (!lineRows) {
      if (content.trim() !== "") out.push(content); // not part of the check (should not happen)
      return;
    }
    if (!lineRows.some(isBad)) {
      out.push(content);
      return;
    }
    const good = lineRows.filter((r) => !isBad(r));
    if (lineRows.length > 1 && good.length > 0) out.push(good.map((r) => ("mac" in r ? r.mac : "")).join(", "));
  });
  return out.join("\n");
}

/**
 * The lines "Drop bad lines" removes because something on them is not a MAC (invalid rows; plain
 * repeats are not listed, they lose nothing), as typed, so the page can keep them in a note to copy
 * and fix. Lines corrected since the check are not dropped and not listed.
 */
export function invalidLinesToDrop(text: string, rows: RowVerdict[], checkedText: string = text): string[] {
  const invalid = new Set(rows.filter((r) => r.status === "invalid").map((r) => r.line));
  const checked = splitLines(checkedText);
  return splitLines(text).filter((content, i) => invalid.has(i + 1) && content === checked[i] && content.trim() !== "");
}

/**
 * What stays in the paste box after "Add": the lines that could not be added (invalid, or naming an
 * unknown customer), as typed, so they can be corrected instead of pasted again. Lines changed since
 * the check are kept too (they were not part of what was added).
 */
export function keepUnaddedLines(text: string, rows: RowVerdict[], checkedText: string = text): string {
  const unadded = new Set(rows.filter((r) => r.status === "invalid" || r.status === "unknown_customer").map((r) => r.line));
  const checked = splitLines(checkedText);
  return splitLines(text)
    .filter((content, i) => content.trim() !== "" && (content !== checked[i] || unadded.has(i + 1)))
    .join("\n");
}

/** Rows per verdict in the order the page lists them. */
export const VERDICT_LABELS: Record<RowVerdict["status"], string> = {
  ok: "OK",
  invalid: "Invalid",
  duplicate: "Duplicate",
  exists: "Already here",
  unknown_customer: "Unknown customer",
};

export function describeAdded(r: { created: number; moved: number; skipped: number }): string {
  const parts = [`${r.created} phone${r.created === 1 ? "" : "s"} added`];
  if (r.moved) parts.push(`${r.moved} moved`);
  if (r.skipped) parts.push(`${r.skipped} skipped (already there)`);
  return `${parts.join(", ")}.`;
}
